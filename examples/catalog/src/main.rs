//! `catalog` serves the app: the admin at `/admin/`, the API at `/api/`.

fn main() -> Result<(), String> {
    rocket::execute(catalog::rocket().launch()).map(drop).map_err(|e| e.to_string())
}
