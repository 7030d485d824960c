-- The first statement works and the second fails: the migration is rolled back as a whole.
ALTER TABLE book ADD COLUMN pages INTEGER;
INSERT INTO no_such_table (x) VALUES (1);
