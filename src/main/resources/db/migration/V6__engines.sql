-- Several engines: the user's list of engines, and the engine each service runs on.

-- An engine as the user named it, and how it is found: CURRENT (wherever the docker CLI points: DOCKER_HOST, the current
-- docker context, the default socket), CONTEXT (a docker context by name, in target) or ADDRESS (unix://, tcp://, ssh://
-- in target, with the folder of TLS material in tls_dir where TLS is used).
CREATE TABLE engine (
    name      VARCHAR(40)              PRIMARY KEY,
    kind      VARCHAR(10)              NOT NULL,
    target    VARCHAR(1000),
    tls_dir   VARCHAR(1000),
    added_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Every data folder has the engine the docker CLI would use; the services that existed before ran there.
INSERT INTO engine (name, kind, target, tls_dir, added_at) VALUES ('default', 'CURRENT', NULL, NULL, CURRENT_TIMESTAMP);

ALTER TABLE service ADD COLUMN engine VARCHAR(40) DEFAULT 'default' NOT NULL;
ALTER TABLE service ADD CONSTRAINT service_engine_fk FOREIGN KEY (engine) REFERENCES engine (name);
CREATE INDEX service_by_engine ON service (engine);

-- A launch cut short is undone on the engine it was under way on.
ALTER TABLE launch_journal ADD COLUMN engine VARCHAR(40) DEFAULT 'default' NOT NULL;
