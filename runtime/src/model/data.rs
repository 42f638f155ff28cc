//! Typed field values for a write: what a request body or a form becomes.

use super::{FieldMeta, ModelMeta, Value};

/// The fields to write to one row of a model, each with a value of the
/// field's type. Fields left out keep their value (or take the column's
/// default on insert).
#[derive(Debug, Clone)]
pub struct Data {
    model: &'static ModelMeta,
    values: Vec<(&'static FieldMeta, Value)>,
}

impl Data {
    /// No values yet, for a row of `model`.
    pub fn new(model: &'static ModelMeta) -> Self {
        Data { model, values: Vec::new() }
    }

    /// The model the values belong to.
    pub fn model(&self) -> &'static ModelMeta {
        self.model
    }

    /// Sets `field` to `value`, replacing any earlier value. The value must be
    /// of the field's type, or `Null` for a nullable field, and one every
    /// backend can store there (see [`FieldMeta::check_storable`]).
    pub fn set(&mut self, field: &str, value: impl Into<Value>) -> Result<(), String> {
        let value = value.into();
        let Some(meta) = self.model.field(field) else {
            return Err(format!("`{}` has no field `{field}`", self.model.slug));
        };
        match (&value, value.kind()) {
            (Value::Null, _) if !meta.nullable => return Err(format!("`{field}` may not be null")),
            (_, Some(kind)) if kind != meta.kind => {
                return Err(format!("`{field}` must be {}, not {}", meta.kind, kind.describe()))
            }
            _ => {}
        }
        meta.check_storable(&value).map_err(|why| why.sentence(field, &value))?;
        match self.values.iter_mut().find(|(f, _)| f.name == meta.name) {
            Some((_, slot)) => *slot = value,
            None => self.values.push((meta, value)),
        }
        Ok(())
    }

    /// The value given for `field`.
    pub fn get(&self, field: &str) -> Option<&Value> {
        self.values.iter().find(|(f, _)| f.name == field).map(|(_, v)| v)
    }

    /// Takes `field`'s value out.
    pub fn remove(&mut self, field: &str) -> Option<Value> {
        let index = self.values.iter().position(|(f, _)| f.name == field)?;
        Some(self.values.remove(index).1)
    }

    /// The fields and their values, in the order they were set.
    pub fn values(&self) -> &[(&'static FieldMeta, Value)] {
        &self.values
    }

    /// Whether no field is set.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }
}
