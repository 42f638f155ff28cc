-- A shop's catalog as a production PostgreSQL schema has it: UUID keys made
-- by the database, instants with time zones, an exact price, JSON
-- attributes, an image, a status kept as text, and nullable foreign keys.

CREATE TABLE category (
    slug TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    parent_id TEXT REFERENCES category (slug)
);

CREATE TABLE supplier (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    name TEXT NOT NULL,
    contact JSONB,
    account_number NUMERIC(38, 0),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE product (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    sku VARCHAR(32) NOT NULL UNIQUE,
    name VARCHAR(200) NOT NULL,
    price NUMERIC(12, 2) NOT NULL,
    weight_kg NUMERIC(8, 3),
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'active', 'discontinued')),
    attributes JSONB NOT NULL DEFAULT '{}',
    image BYTEA,
    category_id TEXT REFERENCES category (slug),
    supplier_id UUID REFERENCES supplier (id),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    available_from TIMESTAMPTZ
);

CREATE TABLE price_change (
    id BIGSERIAL PRIMARY KEY,
    product_id UUID NOT NULL REFERENCES product (id),
    old_price NUMERIC(12, 2) NOT NULL,
    new_price NUMERIC(12, 2) NOT NULL,
    changed_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
