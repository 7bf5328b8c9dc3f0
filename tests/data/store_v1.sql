-- The schema of an entente store before schema versions (version 1), for the migration tests.


CREATE TABLE IF NOT EXISTS documents (
    content_hash VARCHAR PRIMARY KEY, doc_id VARCHAR, path VARCHAR, title VARCHAR,
    pub_date VARCHAR, pub_date_origin VARCHAR, url VARCHAR, outlet VARCHAR,
    text VARCHAR, n_events INTEGER, processed_at TIMESTAMP DEFAULT current_timestamp
);
CREATE TABLE IF NOT EXISTS events (
    event_id VARCHAR PRIMARY KEY, content_hash VARCHAR, doc VARCHAR,
    source_text VARCHAR, source_name VARCHAR, source_country VARCHAR, source_igo VARCHAR,
    source_sector VARCHAR, source_code VARCHAR,
    target_text VARCHAR, target_name VARCHAR, target_country VARCHAR, target_igo VARCHAR,
    target_sector VARCHAR, target_code VARCHAR,
    cameo VARCHAR, root VARCHAR, goldstein DOUBLE, quad_class INTEGER, plover VARCHAR,
    date VARCHAR, date_precision VARCHAR, date_source VARCHAR, modality VARCHAR,
    evidence_sentence VARCHAR, evidence_start INTEGER, evidence_end INTEGER,
    rule VARCHAR, mentions VARCHAR
);
CREATE TABLE IF NOT EXISTS mentions (
    content_hash VARCHAR, doc VARCHAR, start INTEGER, "end" INTEGER, text VARCHAR,
    name VARCHAR, country VARCHAR, igo VARCHAR, sector VARCHAR, code VARCHAR,
    matched_by VARCHAR, sentence INTEGER
);
CREATE TABLE IF NOT EXISTS learned_actors (
    content_hash VARCHAR, name VARCHAR, country VARCHAR, igo VARCHAR, sector VARCHAR,
    doc VARCHAR, evidence VARCHAR, matched_by VARCHAR
);


