-- The catalog on SQLite: UUIDs and instants as text (instants in UTC, as
-- hangar writes them: YYYY-MM-DD HH:MM:SS.ffffff), prices as text so that no
-- digit is lost (hangar reads and writes them itself), JSON as text, images
-- as BLOBs. The defaults make what PostgreSQL's do.

CREATE TABLE category (
    slug TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    parent_id TEXT REFERENCES category (slug)
);

CREATE TABLE supplier (
    id TEXT PRIMARY KEY NOT NULL DEFAULT (lower(
        hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-'
        || substr('89ab', 1 + abs(random()) % 4, 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))
    )),
    name TEXT NOT NULL,
    contact TEXT,
    account_number TEXT,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now'))
);

CREATE TABLE product (
    id TEXT PRIMARY KEY NOT NULL DEFAULT (lower(
        hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-'
        || substr('89ab', 1 + abs(random()) % 4, 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))
    )),
    sku TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    price TEXT NOT NULL,
    weight_kg TEXT,
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'active', 'discontinued')),
    attributes TEXT NOT NULL DEFAULT '{}',
    image BLOB,
    category_id TEXT REFERENCES category (slug),
    supplier_id TEXT REFERENCES supplier (id),
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    available_from TEXT
);

CREATE TABLE price_change (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    product_id TEXT NOT NULL REFERENCES product (id),
    old_price TEXT NOT NULL,
    new_price TEXT NOT NULL,
    changed_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now'))
);
