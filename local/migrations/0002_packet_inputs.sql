-- 0002_packet_inputs: the files chosen for an order's records packet and the user's decisions about
-- them (order, document date, excluded pages), so the packet step comes back as it was left.

CREATE TABLE packet_inputs (
    order_id    INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    path        TEXT    NOT NULL,
    title       TEXT    NOT NULL DEFAULT '',
    doc_date    TEXT    CHECK (doc_date IS NULL OR doc_date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    date_source TEXT    NOT NULL DEFAULT '' CHECK (date_source IN ('', 'text', 'metadata', 'file', 'user')),
    exclude     TEXT    NOT NULL DEFAULT '', -- comma-separated 1-based page numbers
    reviewed    INTEGER NOT NULL DEFAULT 0 CHECK (reviewed IN (0, 1)),
    PRIMARY KEY (order_id, position)
);
