//! A REST body, read as an object by [`crate::forms`], typed against the
//! resource: its own fields, and nested objects for included relations.

use serde_json::Value as Json;

use super::config::{Include, RestConfig, RestModel};
use crate::forms::{to_value, unknown_field, Object};
use crate::model::{Data, FieldMeta, RelationMeta, Value};
use crate::Error;

/// A parsed body: the values for the model's own fields, and the nested
/// objects for included relations.
#[derive(Debug)]
pub(crate) struct Payload {
    pub(crate) data: Data,
    pub(crate) nested: Vec<(&'static RelationMeta, &'static Include, Object)>,
}

impl Payload {
    /// Types every key of `body` against `M`'s fields. Read-only fields
    /// are dropped, and so is the primary key when it is a number the
    /// database counts; a UUID or text key is the client's to choose when
    /// it creates a row. Unknown keys are an error naming them with `path`
    /// (`user__` inside a nested object).
    pub(crate) fn parse<M: RestModel>(body: Object, path: &str) -> Result<Payload, Error> {
        let meta = M::meta();
        let config = M::rest();
        let mut payload = Payload { data: Data::new(meta), nested: Vec::new() };
        for (key, json) in body {
            if let Some(field) = meta.field(&key) {
                // A value the body may not set is ignored, but it must still
                // be one of the field's: a key given as an object is a 400.
                let value = to_value(field, json, path)?;
                if config.writable(meta, field.name) || (field.primary_key && !counted_key(field)) {
                    set(&mut payload.data, field, value)?;
                }
            } else if let Some(relation) = meta.relation(&key) {
                payload.relation::<M>(config, relation, json, path)?;
            } else {
                return Err(unknown_field(meta, &key, path));
            }
        }
        Ok(payload)
    }

    fn relation<M: RestModel>(
        &mut self,
        config: &RestConfig,
        relation: &'static RelationMeta,
        json: Json,
        path: &str,
    ) -> Result<(), Error> {
        let meta = M::meta();
        if !config.writable(meta, relation.field) {
            return Ok(());
        }
        let field =
            meta.field(relation.field).ok_or_else(|| Error::BadRequest(format!("no field `{}`", relation.field)))?;
        match json {
            Json::Object(object) => {
                let include = M::includes().iter().find(|i| i.relation == relation.name);
                match include {
                    Some(include) if config.nested_writes => self.nested.push((relation, include, object)),
                    _ => {
                        return Err(Error::BadRequest(format!(
                            "`{path}{}` takes the key of a {}, not an object",
                            relation.name, relation.target.slug
                        )))
                    }
                }
            }
            scalar => {
                let value = to_value(field, scalar, path)?;
                set(&mut self.data, field, value)?;
            }
        }
        Ok(())
    }
}

/// Whether `key` is an integer, which the database counts.
pub(crate) fn counted_key(key: &FieldMeta) -> bool {
    key.kind.is_integer()
}

fn set(data: &mut Data, field: &FieldMeta, value: Value) -> Result<(), Error> {
    data.set(field.name, value).map_err(Error::BadRequest)
}
