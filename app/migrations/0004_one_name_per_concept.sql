-- One name per concept (NOTES.md, glossary in lib.rs): an ændringsønske's type is its
-- aendring_type.
ALTER TABLE aendring RENAME COLUMN request_type TO aendring_type;
