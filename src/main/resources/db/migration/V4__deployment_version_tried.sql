-- Whether a deployment put its version to the test: built it, or created and started a container from it. One whose pull
-- or fetch failed did not, so polling tries that version again instead of waiting for the next push or commit.
ALTER TABLE deployment ADD COLUMN version_tried BOOLEAN DEFAULT TRUE NOT NULL;

-- Until now this was told by how the error began. A deployment cut short by a stopped process was not judged either.
UPDATE deployment SET version_tried = FALSE
    WHERE error LIKE 'pull failed: %' OR error LIKE 'fetch failed: %' OR error LIKE 'interrupted: %';
