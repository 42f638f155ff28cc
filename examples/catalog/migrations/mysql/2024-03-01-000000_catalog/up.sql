-- The catalog on MariaDB (10.5 or later, for INSERT ... RETURNING): UUIDs
-- as CHAR(36), instants as DATETIME(6) holding UTC, prices as DECIMAL, JSON
-- as MariaDB's JSON (text checked to be JSON), images as LONGBLOB. Text keys
-- and UUIDs compare byte by byte (ascii_bin, utf8mb4_bin), as on the other
-- backends, so case decides uniqueness and order there too.

CREATE TABLE category (
    slug VARCHAR(100) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin PRIMARY KEY,
    name TEXT NOT NULL,
    parent_id VARCHAR(100) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
    FOREIGN KEY (parent_id) REFERENCES category (slug)
);

CREATE TABLE supplier (
    id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin PRIMARY KEY DEFAULT (UUID()),
    name TEXT NOT NULL,
    contact JSON,
    account_number DECIMAL(38, 0),
    created_at DATETIME(6) NOT NULL DEFAULT (UTC_TIMESTAMP(6))
);

CREATE TABLE product (
    id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin PRIMARY KEY DEFAULT (UUID()),
    sku VARCHAR(32) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL UNIQUE,
    name VARCHAR(200) NOT NULL,
    price DECIMAL(12, 2) NOT NULL,
    weight_kg DECIMAL(8, 3),
    status VARCHAR(16) NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'active', 'discontinued')),
    attributes JSON NOT NULL DEFAULT ('{}'),
    image LONGBLOB,
    category_id VARCHAR(100) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
    supplier_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin,
    created_at DATETIME(6) NOT NULL DEFAULT (UTC_TIMESTAMP(6)),
    available_from DATETIME(6),
    FOREIGN KEY (category_id) REFERENCES category (slug),
    FOREIGN KEY (supplier_id) REFERENCES supplier (id)
);

CREATE TABLE price_change (
    id BIGINT PRIMARY KEY AUTO_INCREMENT,
    product_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    old_price DECIMAL(12, 2) NOT NULL,
    new_price DECIMAL(12, 2) NOT NULL,
    changed_at DATETIME(6) NOT NULL DEFAULT (UTC_TIMESTAMP(6)),
    FOREIGN KEY (product_id) REFERENCES product (id)
);
