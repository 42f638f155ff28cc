//! How long a login takes at the release iteration count: the form posted
//! through tweepee's own routes, in process, so the figure is the server's
//! work (the PBKDF2 check, the user lookup, the session cookie), not HTTP's.

use std::time::{Duration, Instant};

use rocket::http::{ContentType, Status};
use rocket::local::asynchronous::Client;

/// Median login latencies: a good password, a wrong one, and an unknown user.
#[derive(Debug)]
pub(crate) struct LoginTimes {
    pub(crate) success: Duration,
    pub(crate) wrong_password: Duration,
    pub(crate) unknown_user: Duration,
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

/// The page's CSRF token, read from the login form.
async fn csrf(client: &Client) -> Result<String, String> {
    let page = client.get("/accounts/login/").dispatch().await.into_string().await.unwrap_or_default();
    let marker = r#"name="csrf_token" value=""#;
    let start = page.find(marker).ok_or("the login form has no csrf_token")? + marker.len();
    Ok(page[start..].split('"').next().unwrap_or_default().to_owned())
}

/// One login attempt; its time, and whether it logged in.
async fn attempt(client: &Client, username: &str, password: &str) -> Result<(Duration, bool), String> {
    let token = csrf(client).await?;
    let body = format!("csrf_token={token}&username={username}&password={password}");
    let started = Instant::now();
    let response = client.post("/accounts/login/").header(ContentType::Form).body(body).dispatch().await;
    let elapsed = started.elapsed();
    match response.status() {
        Status::SeeOther => Ok((elapsed, true)),
        Status::Ok => Ok((elapsed, false)),
        other => Err(format!("a login answered {other}")),
    }
}

/// Times `rounds` logins of each kind as `username`/`password` on `rocket`.
pub(crate) async fn login_times(
    rocket: rocket::Rocket<rocket::Build>,
    username: &str,
    password: &str,
    rounds: usize,
) -> Result<LoginTimes, String> {
    let client = Client::tracked(rocket).await.map_err(|e| e.to_string())?;
    let (mut success, mut wrong, mut unknown) = (Vec::new(), Vec::new(), Vec::new());
    // Fewer failures than the throttle's limit of 10 per username and address.
    for _ in 0..rounds.clamp(1, 4) {
        let (time, logged_in) = attempt(&client, username, password).await?;
        if !logged_in {
            return Err(format!("{username} could not log in"));
        }
        success.push(time);
        wrong.push(attempt(&client, username, "not-the-password").await?.0);
        unknown.push(attempt(&client, "nobody-at-all", password).await?.0);
    }
    Ok(LoginTimes { success: median(success), wrong_password: median(wrong), unknown_user: median(unknown) })
}
