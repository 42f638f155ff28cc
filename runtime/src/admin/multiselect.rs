//! The multi-select widget: a plain `<select multiple>` with a label, a
//! size and its options under `<optgroup>`s, which works without script
//! and with the keyboard; read-only, the labels of the options chosen.
//! `field.hbs` draws it.

use serde_json::{json, Value as Json};

/// The fewest and the most rows the select shows at once.
const MIN_SIZE: usize = 4;
const MAX_SIZE: usize = 12;

/// One option: its value, its label, and whether it is chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Choice {
    pub(crate) value: String,
    pub(crate) label: String,
    pub(crate) selected: bool,
}

/// Options under one heading (an `<optgroup>`), or under none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ChoiceGroup {
    pub(crate) heading: Option<String>,
    pub(crate) choices: Vec<Choice>,
}

/// What a multi-select shows.
#[derive(Debug, Clone)]
pub(crate) struct MultiSelect {
    pub(crate) name: &'static str,
    pub(crate) label: &'static str,
    pub(crate) help_text: &'static str,
    pub(crate) groups: Vec<ChoiceGroup>,
    pub(crate) readonly: bool,
    pub(crate) errors: Vec<String>,
}

/// The widget, as `field.hbs` reads it.
pub(crate) fn multi_select(select: MultiSelect) -> Json {
    let MultiSelect { name, label, help_text, groups, readonly, errors } = select;
    let chosen: Vec<&str> =
        groups.iter().flat_map(|g| &g.choices).filter(|c| c.selected).map(|c| c.label.as_str()).collect();
    let display = if chosen.is_empty() { "—".to_owned() } else { chosen.join(", ") };
    // A heading takes a row of the list, as each option does.
    let rows: usize = groups.iter().map(|g| g.choices.len() + usize::from(g.heading.is_some())).sum();
    let mut described_by = vec![format!("help_{name}")];
    described_by.extend((0..errors.len()).map(|i| format!("error_{name}_{i}")));
    let groups: Vec<Json> = groups
        .iter()
        .map(|g| {
            let choices: Vec<Json> =
                g.choices.iter().map(|c| json!({"value": c.value, "label": c.label, "selected": c.selected})).collect();
            json!({"heading": g.heading, "choices": choices})
        })
        .collect();
    json!({
        "name": name,
        "label": label,
        "help_text": if readonly { None } else { Some(help_text) },
        "errors": errors,
        "required": false,
        "readonly": readonly,
        "display": display,
        "value": "",
        "checked": false,
        "described_by": if readonly { None } else { Some(described_by.join(" ")) },
        "widget": {"multiselect": true},
        "size": rows.clamp(MIN_SIZE, MAX_SIZE),
        "groups": groups,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choice(value: &str, selected: bool) -> Choice {
        Choice { value: value.to_owned(), label: format!("label {value}"), selected }
    }

    fn select(groups: Vec<ChoiceGroup>, readonly: bool) -> Json {
        multi_select(MultiSelect {
            name: "groups",
            label: "Groups",
            help_text: "Hold Ctrl to choose more than one.",
            groups,
            readonly,
            errors: vec!["Select a valid choice.".to_owned()],
        })
    }

    #[test]
    fn sized_by_its_rows_within_bounds() {
        let few = vec![ChoiceGroup { heading: None, choices: vec![choice("1", false)] }];
        assert_eq!(select(few, false)["size"], 4);
        let many: Vec<Choice> = (0..30).map(|i| choice(&i.to_string(), false)).collect();
        assert_eq!(select(vec![ChoiceGroup { heading: None, choices: many }], false)["size"], 12);
        let headed: Vec<ChoiceGroup> = (0..2)
            .map(|i| ChoiceGroup {
                heading: Some(format!("h{i}")),
                choices: vec![choice("1", false), choice("2", false), choice("3", false)],
            })
            .collect();
        assert_eq!(select(headed, false)["size"], 8);
    }

    #[test]
    fn shows_the_chosen_labels_and_describes_help_and_errors() {
        let groups = vec![ChoiceGroup {
            heading: None,
            choices: vec![choice("1", true), choice("2", false), choice("3", true)],
        }];
        let json = select(groups, false);
        assert_eq!(json["display"], "label 1, label 3");
        assert_eq!(json["described_by"], "help_groups error_groups_0");
        assert_eq!(json["widget"]["multiselect"], true);
        assert_eq!(json["groups"][0]["choices"][2]["selected"], true);
        let none = select(vec![ChoiceGroup { heading: None, choices: vec![choice("1", false)] }], true);
        assert_eq!(none["display"], "—");
        assert_eq!(none["readonly"], true);
        assert!(none["help_text"].is_null());
    }
}
