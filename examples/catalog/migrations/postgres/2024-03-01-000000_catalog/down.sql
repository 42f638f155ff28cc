DROP TABLE price_change;
DROP TABLE product;
DROP TABLE supplier;
DROP TABLE category;
