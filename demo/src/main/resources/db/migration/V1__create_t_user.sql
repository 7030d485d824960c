-- The table of django_demo's User model. The id is a UUID the application assigns, so this one
-- script runs unchanged on SQLite and PostgreSQL.
CREATE TABLE t_user (
  id VARCHAR(36) NOT NULL PRIMARY KEY,
  name VARCHAR(64) NOT NULL,
  age INTEGER NOT NULL,
  sex VARCHAR(16) NOT NULL
);
