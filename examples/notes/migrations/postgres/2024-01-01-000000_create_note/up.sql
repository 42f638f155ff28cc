CREATE TABLE note (
    id SERIAL PRIMARY KEY,
    message TEXT NOT NULL,
    created_date TIMESTAMP NOT NULL
);
INSERT INTO note (message, created_date) VALUES
    ('Hello, world!', '2024-01-01 09:00:00'),
    ('Say hello to hangar', '2024-01-02 10:30:00'),
    ('Buy milk', '2024-01-03 18:15:00');
