-- Redeploy trigger URLs and push-webhook secrets for the local HTTP API.

CREATE TABLE redeploy_trigger (
    id          UUID                     PRIMARY KEY,
    service_id  UUID                     NOT NULL,
    name        VARCHAR(100)             NOT NULL,
    -- Only the token's SHA-256 is kept: the URL is shown once, when the trigger is made.
    token_hash  VARCHAR(64)              NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    last_called TIMESTAMP WITH TIME ZONE,
    CONSTRAINT trigger_service_fk FOREIGN KEY (service_id) REFERENCES service (id) ON DELETE CASCADE,
    CONSTRAINT trigger_name_unique UNIQUE (service_id, name),
    CONSTRAINT trigger_token_unique UNIQUE (token_hash)
);

CREATE TABLE webhook_secret (
    service_id  UUID                     PRIMARY KEY,
    secret      VARCHAR(100)             NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT webhook_service_fk FOREIGN KEY (service_id) REFERENCES service (id) ON DELETE CASCADE
);
