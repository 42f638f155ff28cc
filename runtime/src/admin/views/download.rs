//! `GET <prefix>/<model>/<pk>/download/<field>/`: the bytes a field holds,
//! sent as a file to save (`application/octet-stream`, an attachment),
//! never drawn into a page.

use rocket::http::ContentType;

use crate::admin::config::AdminModel;
use crate::admin::model_admin::{object_for, ModelAdmin};
use crate::admin::render;
use crate::admin::state::{AdminReply, Ctx, Download, DownloadBody};
use crate::auth::{Permission, UserModel};
use crate::model::{Model, SqlKind, Value};
use crate::Error;

/// The extension the first bytes of a file call for: common images and
/// documents, else `bin`.
fn extension(bytes: &[u8]) -> &'static str {
    const MAGIC: [(&[u8], &str); 5] = [
        (b"\x89PNG\r\n\x1a\n", "png"),
        (b"\xff\xd8\xff", "jpg"),
        (b"GIF8", "gif"),
        (b"%PDF-", "pdf"),
        (b"PK\x03\x04", "zip"),
    ];
    if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        return "webp";
    }
    MAGIC.iter().find(|(magic, _)| bytes.starts_with(magic)).map_or("bin", |(_, ext)| ext)
}

/// `product-image-<key>.png`: the key kept to letters, digits, `-`, `_`
/// and `.`, so the name needs no quoting in a header.
fn filename(slug: &str, field: &str, pk: &str, bytes: &[u8]) -> String {
    let key: String = pk
        .chars()
        .take(64)
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') { c } else { '_' })
        .collect();
    format!("{slug}-{field}-{key}.{}", extension(bytes))
}

pub(crate) async fn download<A: ModelAdmin, U: UserModel>(ctx: &Ctx<'_, '_>, pk: &str, field: &str) -> AdminReply {
    let meta = A::Model::meta();
    let config = A::Model::admin();
    let Some(field) = meta.field(field).filter(|f| f.kind == SqlKind::Binary && config.shows(f.name)) else {
        return render::error::<U>(ctx, Error::NotFound).await;
    };
    let caller = ctx.caller.clone();
    let key = pk.to_owned();
    // The row as the admin's `get_object` finds it (a row it hides is a
    // 404), if the caller may view it.
    let loaded = ctx
        .db
        .run(move |conn| Ok::<_, Error>(object_for::<A>(conn, &caller, &key, Permission::View)?.value(field.name)))
        .await;
    match loaded {
        Ok(Some(Value::Binary(bytes))) => AdminReply::Download(Download {
            content_type: ContentType::Binary,
            filename: filename(meta.slug, field.name, pk, &bytes),
            body: DownloadBody::Bytes(bytes),
        }),
        Ok(_) => render::error::<U>(ctx, Error::NotFound).await,
        Err(e) => render::error::<U>(ctx, e).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_named_after_its_row_and_its_first_bytes() {
        assert_eq!(filename("product", "image", "0c1f-2e", b"\x89PNG\r\n\x1a\n..."), "product-image-0c1f-2e.png");
        assert_eq!(filename("category", "icon", "a b/ü\"", b"\xff\xd8\xff\xe0"), "category-icon-a_b___.jpg");
        assert_eq!(filename("t", "f", "1", b"RIFF\0\0\0\0WEBPVP8 "), "t-f-1.webp");
        assert_eq!(filename("t", "f", "1", b""), "t-f-1.bin");
    }
}
