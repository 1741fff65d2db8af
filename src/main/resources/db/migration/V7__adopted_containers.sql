-- Services adopted from containers Redock did not make: the container's id, until a redeploy replaces it with one that
-- carries Redock's own label (the engine cannot add a label to a container that exists).
ALTER TABLE service ADD COLUMN adopted_container VARCHAR(64);
