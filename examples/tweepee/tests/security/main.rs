//! The security sweep over tweepee, on every backend: CSRF on every write
//! route, the open-redirect matrix on every `next`, mass assignment through
//! the API, the admin and the site, and the security headers on every HTML
//! answer. Every answer read is searched for a password hash ([`probe`]).
//! The XSS corpus runs in a browser, in `security_browser.rs`.

mod csrf;
mod headers;
mod mass_assignment;
mod probe;
mod redirects;
mod routes;
