-- The deployment journal: what a redeploy has done to the engine so far, written before and after each step, so that a
-- deployment cut short (a stopped process, an engine that went away) is driven to a safe end by whichever Redock process
-- looks next: the new version running and healthy, or the previous one running again, never neither.

-- The last step reached (see dev.redock.deploy.Phase); NULL for rows written before the journal existed.
ALTER TABLE deployment ADD COLUMN phase VARCHAR(30);
-- The container the service ran before the deployment, and the one the deployment made.
ALTER TABLE deployment ADD COLUMN old_container VARCHAR(80);
ALTER TABLE deployment ADD COLUMN new_container VARCHAR(80);
-- Whether the old container was running, and its restart policy (name:max-retries), turned off while it is set aside.
ALTER TABLE deployment ADD COLUMN old_running BOOLEAN;
ALTER TABLE deployment ADD COLUMN old_restart VARCHAR(60);
-- The image reference the new container was made from (for a build: redock/<service>:<short sha>).
ALTER TABLE deployment ADD COLUMN release_image VARCHAR(512);

CREATE INDEX deployment_unfinished ON deployment (outcome);

-- The deployment lock is a lease: its holder renews it while it works; a lease that ran out is taken over.
ALTER TABLE service ADD COLUMN lock_expires_at TIMESTAMP WITH TIME ZONE;
-- A lock taken before leases existed counts as run out.
UPDATE service SET lock_expires_at = locked_at WHERE lock_owner IS NOT NULL;

-- A launch under way: its container exists before its service does. A launch cut short is undone from this row.
CREATE TABLE launch_journal (
    service_id  UUID                     PRIMARY KEY,
    name        VARCHAR(63)              NOT NULL,
    container   VARCHAR(80),
    owner       VARCHAR(200)             NOT NULL,
    started_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

-- A removal under way ('keep' or 'volumes': whether the service's volumes go too), finished by recovery if cut short.
ALTER TABLE service ADD COLUMN removing VARCHAR(10);
