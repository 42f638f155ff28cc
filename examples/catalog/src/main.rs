//! `catalog` serves the app: the admin at `/admin/`, the API at `/api/`.
//! `catalog createsuperuser NAME` makes an admin, reading the password from
//! standard input. Each example's `main` stands alone, to be read whole.

use hangar::auth::{create_superuser, NewSuperuser, User};

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        [] => rocket::execute(catalog::rocket().launch()).map(drop).map_err(|e| e.to_string()),
        ["createsuperuser", username] => {
            let mut password = String::new();
            std::io::stdin().read_line(&mut password).map_err(|e| e.to_string())?;
            let url = std::env::var("DATABASE_URL").unwrap_or_else(|_| "sqlite://catalog.db".into());
            let db = hangar::db::Database::connect(&url).map_err(|e| e.to_string())?;
            db.migrate(&catalog::MIGRATIONS).map_err(|e| e.to_string())?;
            let new = NewSuperuser { username: username.into(), email: None, password: password.trim_end().into() };
            let mut conn = db.get().map_err(|e| e.to_string())?;
            create_superuser::<User>(&mut conn, &new).map_err(|e| e.to_string())?;
            println!("created the admin user `{username}`");
            Ok(())
        }
        _ => Err("usage: catalog [createsuperuser USERNAME]  (the password on standard input)".into()),
    }
}
