//! Parsing one filter parameter into typed conditions on one field.

use chrono::{DateTime, Utc};

use super::calendar::calendar_condition;
use super::{Operator, QueryError};
use crate::model::{shown, Comparison, Condition, FieldMeta, Lookup, ModelMeta, Value};

/// How many relations a filter path may go through.
pub const MAX_HOPS: usize = 3;

/// The longest pattern (`like`, `ilike`, `contains`, `startswith`,
/// `endswith`), in characters: SQLite refuses patterns past 50,000 bytes.
pub const MAX_PATTERN: usize = 1000;

/// One parsed filter parameter: `[-]path[__op]=value`, with all the values
/// given for that key.
#[derive(Debug, Clone, PartialEq)]
pub struct Filter {
    pub(crate) param: String,
    pub(crate) hops: Vec<&'static str>,
    pub(crate) operator: Operator,
    pub(crate) lookup: Lookup,
    /// The model the tested field belongs to, at the end of the path.
    pub(crate) model: &'static ModelMeta,
    /// The tested field.
    pub(crate) field: &'static FieldMeta,
    /// Whether the filter keeps the rows the lookup does not match: a
    /// leading `-` or a negative operator, but not both.
    pub(crate) exclude: bool,
}

impl Filter {
    /// The parameter as given.
    pub fn param(&self) -> &str {
        &self.param
    }

    /// The relations the path goes through.
    pub fn hops(&self) -> &[&'static str] {
        &self.hops
    }

    /// The operator as given.
    pub fn operator(&self) -> Operator {
        self.operator
    }

    /// The field tested, on the last model of the path.
    pub fn lookup(&self) -> &Lookup {
        &self.lookup
    }

    /// Whether the filter keeps the rows the lookup leaves out.
    pub fn excludes(&self) -> bool {
        self.exclude
    }

    /// How many values the filter compares, and how many conditions it
    /// holds (an `in` list is one condition).
    pub fn size(&self) -> (usize, usize) {
        let conditions = self.lookup.conditions();
        (conditions.iter().map(|c| condition_values(c).count()).sum(), conditions.len())
    }

    /// The field path without the operator: `user__username`.
    pub fn path(&self) -> String {
        let mut segments = self.hops.clone();
        segments.push(self.lookup.field);
        segments.join("__")
    }

    /// Parses the parameter `key` with every value given for it.
    ///
    /// `key` is `[-]path[__op]`. If the last segment is not an operator the
    /// whole key is the path. The path is fields and relations of `meta`
    /// separated by `__`; a relation at the end compares its foreign key.
    /// `within_days` and `older_days` count back from the server's clock.
    pub fn parse(meta: &'static ModelMeta, key: &str, values: &[&str]) -> Result<Filter, QueryError> {
        Filter::parse_at(meta, key, values, Utc::now())
    }

    /// [`Filter::parse`] with `now` as the present, which `within_days` and
    /// `older_days` count back from.
    pub fn parse_at(
        meta: &'static ModelMeta,
        key: &str,
        values: &[&str],
        now: DateTime<Utc>,
    ) -> Result<Filter, QueryError> {
        let (negated, body) = match key.strip_prefix('-') {
            Some(body) => (true, body),
            None => (false, key),
        };
        let segments: Vec<&str> = body.split("__").collect();
        let (operator, path) = match segments.split_last() {
            Some((last, path)) if !path.is_empty() => match Operator::from_name(last) {
                // `year` and `month` are common field names: after a
                // relation (`car__year`), whose key is never a date, they
                // name the related model's field.
                Some(op) if op.is_calendar() && names_field(meta, &segments) => (Operator::Eq, segments.as_slice()),
                Some(op) => (op, path),
                None => (Operator::Eq, segments.as_slice()),
            },
            _ => (Operator::Eq, segments.as_slice()),
        };
        let explicit_operator = path.len() < segments.len();
        let (hops, model, field) = resolve(meta, key, path, explicit_operator)?;
        if let Some(needs) = operator.unsupported_for(field.kind) {
            return Err(QueryError::OperatorType { operator, needs, field: field.name, kind: field.kind });
        }
        let field_path = path.join("__");
        // A client that sends an array parameter exploded, whatever the
        // document says (`x__between=1&x__between=5`), gives the two bounds as
        // two values. Two values that are each a single bound can mean
        // nothing else, so they are read as that one range; repeated ranges
        // (`x__between=1,2&x__between=8,9`) still OR.
        let exploded_range = match values {
            [low, high] if matches!(operator, Operator::Between) && !low.contains(',') && !high.contains(',') => {
                Some(format!("{low},{high}"))
            }
            _ => None,
        };
        let values: &[&str] = match &exploded_range {
            Some(range) => &[range.as_str()],
            None => values,
        };
        let conditions: Vec<Condition> = values
            .iter()
            .map(|value| conditions_of(key, &field_path, operator, field, value, now))
            .collect::<Result<Vec<_>, _>>()?
            .into_iter()
            .flatten()
            .collect();
        for value in conditions.iter().flat_map(condition_values) {
            field
                .check_comparable(value)
                .map_err(|why| QueryError::Unstorable { param: key.to_owned(), message: why.sentence(key, value) })?;
        }
        Ok(Filter {
            param: key.to_owned(),
            hops,
            operator,
            lookup: Lookup::new(field.name, merge_in_conditions(conditions)),
            model,
            field,
            exclude: negated != operator.is_negative(),
        })
    }
}

/// Whether `path` is relations of `meta` then a field of the last one's
/// model.
fn names_field(meta: &'static ModelMeta, path: &[&str]) -> bool {
    let Some((field, relations)) = path.split_last() else {
        return false;
    };
    let mut model = meta;
    for segment in relations {
        match model.relation(segment) {
            Some(relation) => model = relation.target,
            None => return false,
        }
    }
    model.field(field).is_some()
}

/// Walks `path` from `meta`: relations, then a field (or a relation, meaning
/// its foreign key) at the end.
fn resolve(
    meta: &'static ModelMeta,
    param: &str,
    path: &[&str],
    explicit_operator: bool,
) -> Result<(Vec<&'static str>, &'static ModelMeta, &'static FieldMeta), QueryError> {
    let unknown = |model: &'static ModelMeta, name: &str| QueryError::UnknownField {
        param: param.to_owned(),
        model: model.slug,
        name: name.to_owned(),
        fields: model.field_names().collect(),
        relations: model.relations.iter().map(|r| r.name).collect(),
    };
    let mut model = meta;
    let mut hops = Vec::new();
    for (i, segment) in path.iter().enumerate() {
        let last = i + 1 == path.len();
        if last {
            let field = model.field(segment).or_else(|| model.relation(segment).and_then(|r| model.field(r.field)));
            return field.map(|f| (hops, model, f)).ok_or_else(|| unknown(model, segment));
        }
        if let Some(relation) = model.relation(segment) {
            hops.push(relation.name);
            if hops.len() > MAX_HOPS {
                return Err(QueryError::TooManyHops { param: param.to_owned() });
            }
            model = relation.target;
        } else if model.field(segment).is_some() {
            // `content__contians`: a field followed by something that is not
            // an operator is most likely a misspelt operator.
            return Err(if i + 2 == path.len() && !explicit_operator {
                QueryError::UnknownOperator { param: param.to_owned(), operator: path[i + 1].to_owned() }
            } else {
                QueryError::NotARelation { param: param.to_owned(), model: model.slug, name: (*segment).to_owned() }
            });
        } else {
            return Err(unknown(model, segment));
        }
    }
    Err(QueryError::UnknownField {
        param: param.to_owned(),
        model: meta.slug,
        name: String::new(),
        fields: meta.field_names().collect(),
        relations: meta.relations.iter().map(|r| r.name).collect(),
    })
}

fn parse_one(param: &str, path: &str, field: &FieldMeta, raw: &str) -> Result<Value, QueryError> {
    if !field.choices.is_empty() && field.choice_label(raw).is_none() {
        let values: Vec<&str> = field.choices.iter().map(|c| c.value).collect();
        return Err(QueryError::Unstorable {
            param: param.to_owned(),
            message: format!("`{param}` value `{}` is not one of its choices: {}", shown(raw), values.join(", ")),
        });
    }
    Value::parse(field.kind, raw).ok_or_else(|| QueryError::BadValue {
        param: param.to_owned(),
        path: path.to_owned(),
        value: raw.to_owned(),
        kind: field.kind,
    })
}

/// The values a condition compares with.
fn condition_values(condition: &Condition) -> impl Iterator<Item = &Value> {
    let values: &[Value] = match condition {
        Condition::In(values) => values,
        Condition::Cmp(_, value) => std::slice::from_ref(value),
        Condition::Between(low, _) | Condition::Range(low, _) => std::slice::from_ref(low),
        Condition::IsNull(_) | Condition::Like { .. } | Condition::Month(_) => &[],
    };
    let high = match condition {
        Condition::Between(_, high) | Condition::Range(_, high) => Some(high),
        _ => None,
    };
    values.iter().chain(high)
}

/// A pattern every backend takes: no NUL, at most [`MAX_PATTERN`]
/// characters, and (for `like`/`ilike`, which take `\` escapes) not ending
/// with a lone escape character, which PostgreSQL refuses.
fn check_pattern(param: &str, raw: &str, escapes: bool) -> Result<(), QueryError> {
    if raw.contains('\0') {
        let why = crate::model::Unstorable::Nul;
        return Err(QueryError::Unstorable { param: param.to_owned(), message: why.sentence(param, &Value::Null) });
    }
    if raw.chars().nth(MAX_PATTERN).is_some() {
        return Err(QueryError::PatternTooLong { param: param.to_owned() });
    }
    let trailing = raw.chars().rev().take_while(|c| *c == '\\').count();
    if escapes && trailing % 2 == 1 {
        return Err(QueryError::TrailingEscape { param: param.to_owned() });
    }
    Ok(())
}

/// `\`, `%` and `_` escaped, for use inside a LIKE pattern.
pub(crate) fn escape_like(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len() + 2);
    for c in text.chars() {
        if matches!(c, '\\' | '%' | '_') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

/// The conditions one value of a parameter stands for.
fn conditions_of(
    param: &str,
    path: &str,
    operator: Operator,
    field: &FieldMeta,
    raw: &str,
    now: DateTime<Utc>,
) -> Result<Vec<Condition>, QueryError> {
    let one = |raw: &str| parse_one(param, path, field, raw);
    let like = |pattern: String, case_sensitive: bool| Ok(vec![Condition::Like { pattern, case_sensitive }]);
    if operator.positive().is_pattern() {
        check_pattern(param, raw, matches!(operator.positive(), Operator::Like | Operator::Ilike))?;
    }
    let compare = |cmp: Comparison| Ok(vec![Condition::Cmp(cmp, one(raw)?)]);
    match operator.positive() {
        Operator::Eq => Ok(vec![Condition::In(vec![one(raw)?])]),
        Operator::In => Ok(vec![Condition::In(raw.split(',').map(one).collect::<Result<_, _>>()?)]),
        Operator::Lt => compare(Comparison::Lt),
        Operator::Lte => compare(Comparison::Lte),
        Operator::Gt => compare(Comparison::Gt),
        Operator::Gte => compare(Comparison::Gte),
        Operator::Between => match raw.split(',').collect::<Vec<_>>().as_slice() {
            [low, high] => Ok(vec![Condition::Between(one(low)?, one(high)?)]),
            _ => Err(QueryError::BetweenArity { param: param.to_owned(), value: raw.to_owned() }),
        },
        Operator::Is => match raw.trim().to_ascii_lowercase().as_str() {
            "null" | "none" => Ok(vec![Condition::IsNull(true)]),
            "notnull" => Ok(vec![Condition::IsNull(false)]),
            _ => Err(QueryError::BadNullTest { param: param.to_owned(), value: raw.to_owned() }),
        },
        Operator::Like => like(raw.to_owned(), true),
        Operator::Ilike => like(raw.to_owned(), false),
        Operator::Contains => like(format!("%{}%", escape_like(raw)), false),
        Operator::Startswith => like(format!("{}%", escape_like(raw)), false),
        Operator::Endswith => like(format!("%{}", escape_like(raw)), false),
        Operator::WithinDays | Operator::OlderDays | Operator::Year | Operator::Month => {
            Ok(vec![calendar_condition(param, operator, field, raw, now)?])
        }
        Operator::Ne | Operator::NotIn | Operator::IsNot => {
            Err(QueryError::Internal(format!("`{operator}` has no positive form")))
        }
    }
}

/// Several `In` conditions on one field are one `In` over all their values.
fn merge_in_conditions(conditions: Vec<Condition>) -> Vec<Condition> {
    let mut values = Vec::new();
    let mut others = Vec::new();
    for condition in conditions {
        match condition {
            Condition::In(v) => values.extend(v),
            other => others.push(other),
        }
    }
    if !values.is_empty() {
        others.insert(0, Condition::In(values));
    }
    others
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_wildcards_in_plain_text_are_escaped() {
        assert_eq!(escape_like(r"100%_sure\"), r"100\%\_sure\\");
    }

    #[test]
    fn a_calendar_operator_after_a_relation_with_a_field_of_its_name_is_the_field() {
        use crate::model::{FieldMeta, RelationMeta, SqlKind};
        static CAR_FIELDS: [FieldMeta; 2] = [
            FieldMeta { primary_key: true, ..FieldMeta::for_tests("id", SqlKind::Integer, false) },
            FieldMeta::for_tests("year", SqlKind::Integer, false),
        ];
        static CAR: ModelMeta = ModelMeta {
            name: "Car",
            slug: "car",
            table: "car",
            primary_key: &CAR_FIELDS[0],
            fields: &CAR_FIELDS,
            relations: &[],
            verbose_name: "Car",
            verbose_name_plural: "Cars",
            display: None,
        };
        static TRIP_FIELDS: [FieldMeta; 3] = [
            FieldMeta { primary_key: true, ..FieldMeta::for_tests("id", SqlKind::Integer, false) },
            FieldMeta::for_tests("car_id", SqlKind::Integer, false),
            FieldMeta::for_tests("day", SqlKind::Date, false),
        ];
        static TRIP: ModelMeta = ModelMeta {
            name: "Trip",
            slug: "trip",
            table: "trip",
            primary_key: &TRIP_FIELDS[0],
            fields: &TRIP_FIELDS,
            relations: &[RelationMeta { name: "car", field: "car_id", target: &CAR, nullable: false }],
            verbose_name: "Trip",
            verbose_name_plural: "Trips",
            display: None,
        };
        let filter = Filter::parse(&TRIP, "car__year", &["1990"]).expect("the car's year");
        assert_eq!((filter.path(), filter.operator()), ("car__year".to_owned(), Operator::Eq));
        let filter = Filter::parse(&TRIP, "car__year__gte", &["1990"]).expect("the car's year");
        assert_eq!((filter.path(), filter.operator()), ("car__year".to_owned(), Operator::Gte));
        let filter = Filter::parse(&TRIP, "day__year", &["1990"]).expect("the trip's year");
        assert_eq!((filter.path(), filter.operator()), ("day".to_owned(), Operator::Year));
        assert!(matches!(Filter::parse(&TRIP, "car__month", &["1"]), Err(QueryError::OperatorType { .. })));
    }

    #[test]
    fn in_conditions_merge_and_others_stay() {
        let merged = merge_in_conditions(vec![
            Condition::In(vec![Value::Integer(1)]),
            Condition::IsNull(true),
            Condition::In(vec![Value::Integer(2), Value::Integer(3)]),
        ]);
        assert_eq!(
            merged,
            vec![Condition::In(vec![Value::Integer(1), Value::Integer(2), Value::Integer(3)]), Condition::IsNull(true)]
        );
    }
}
