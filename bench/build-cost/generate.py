#!/usr/bin/env python3
"""The build-cost comparison's two crates: the same 50 Diesel models, one with
Diesel's derives only, the other with hangar's Model, RestResource and
AdminModel besides. Both depend on the same crates, so a build of either
after the dependencies are built measures the derives alone.

    generate.py OUT_DIR HANGAR_RUNTIME_DIR
"""
import os
import sys

MODELS = 50


def table(i):
    parent = f"    parent_id -> Integer,\n" if i > 0 else ""
    return (
        f"diesel::table! {{\n  model{i} (id) {{\n    id -> Integer,\n{parent}"
        f"    name -> Text,\n    note -> Nullable<Text>,\n    score -> Integer,\n"
        f"    ratio -> Double,\n    active -> Bool,\n    created -> Timestamp,\n  }}\n}}\n"
    )


def model(i, hangar):
    derives = "Debug, Queryable, Selectable, Identifiable"
    if i > 0:
        derives += ", Associations"
    if hangar:
        derives += ", hangar::Model, hangar::RestResource, hangar::AdminModel"
    belongs = f", belongs_to(Model{i - 1}, foreign_key = parent_id)" if i > 0 else ""
    attrs = ""
    if hangar:
        columns = "name, score, active, created" + (", parent__name" if i > 0 else "")
        attrs = (
            f"#[rest(exclude(note), filter_fields(name, score, created{', parent__name' if i > 0 else ''}))]\n"
            f"#[admin(columns({columns}), search_fields(name), ordering(\"-created\"))]\n"
        )
    parent = "    pub parent_id: i32,\n" if i > 0 else ""
    return (
        f"#[derive({derives})]\n#[diesel(table_name = model{i}{belongs})]\n{attrs}"
        f"pub struct Model{i} {{\n    pub id: i32,\n{parent}    pub name: String,\n"
        f"    pub note: Option<String>,\n    pub score: i32,\n    pub ratio: f64,\n"
        f"    pub active: bool,\n    pub created: chrono::NaiveDateTime,\n}}\n"
    )


def crate(out, name, runtime, hangar):
    src = os.path.join(out, name, "src")
    os.makedirs(src, exist_ok=True)
    with open(os.path.join(out, name, "Cargo.toml"), "w") as f:
        f.write(
            f'[package]\nname = "{name}"\nversion = "0.0.0"\nedition = "2021"\npublish = false\n\n'
            f'[dependencies]\nhangar = {{ path = "{runtime}" }}\n'
            f'diesel = {{ version = "~2.3", features = ["chrono"] }}\nchrono = "0.4"\n'
        )
    body = ["//! Generated: 50 models for the build-cost comparison.\n#![allow(dead_code)]\n",
            "use diesel::prelude::*;\n"]
    for i in range(MODELS):
        body.append(table(i))
    for i in range(1, MODELS):
        body.append(f"diesel::allow_tables_to_appear_in_same_query!(model{i - 1}, model{i});\n")
    for i in range(MODELS):
        body.append(model(i, hangar))
    with open(os.path.join(src, "lib.rs"), "w") as f:
        f.write("\n".join(body))


def main():
    out, runtime = sys.argv[1], os.path.abspath(sys.argv[2])
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "Cargo.toml"), "w") as f:
        f.write('[workspace]\nresolver = "2"\nmembers = ["models-diesel", "models-hangar"]\n')
    crate(out, "models-diesel", runtime, hangar=False)
    crate(out, "models-hangar", runtime, hangar=True)


if __name__ == "__main__":
    main()
