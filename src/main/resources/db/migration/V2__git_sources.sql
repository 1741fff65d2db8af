-- Services built from a git repository's branch, and the commits their deployments built.

-- The git source (JSON: url, branch, dockerfile, context, paths); NULL for a service that follows an image tag.
ALTER TABLE service ADD COLUMN git_source CLOB;
-- The commit the service runs.
ALTER TABLE service ADD COLUMN git_commit VARCHAR(64);

ALTER TABLE deployment ADD COLUMN commit_sha VARCHAR(64);
ALTER TABLE deployment ADD COLUMN commit_author VARCHAR(512);
ALTER TABLE deployment ADD COLUMN commit_message VARCHAR(4000);
