-- Services Redock keeps up to date, and the history of their deployments.

CREATE TABLE service (
    id               UUID                     PRIMARY KEY,
    name             VARCHAR(63)              NOT NULL,
    image            VARCHAR(512)             NOT NULL,
    spec             CLOB                     NOT NULL,
    autoredeploy     BOOLEAN                  DEFAULT FALSE NOT NULL,
    digest           VARCHAR(100),
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    -- The deployment lock: at most one deployment of a service at a time, across processes.
    lock_owner       VARCHAR(200),
    locked_at        TIMESTAMP WITH TIME ZONE,
    -- Pushes that arrive during a deployment coalesce into one follow-up.
    pending_trigger  VARCHAR(40),
    CONSTRAINT service_name_unique UNIQUE (name)
);

CREATE TABLE deployment (
    id           BIGINT AUTO_INCREMENT    PRIMARY KEY,
    service_id   UUID                     NOT NULL,
    trigger_kind VARCHAR(40)              NOT NULL,
    old_digest   VARCHAR(100),
    new_digest   VARCHAR(100),
    started_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    ended_at     TIMESTAMP WITH TIME ZONE,
    outcome      VARCHAR(20)              NOT NULL,
    error        CLOB,
    owner        VARCHAR(200),
    CONSTRAINT deployment_service_fk FOREIGN KEY (service_id) REFERENCES service (id) ON DELETE CASCADE
);

CREATE INDEX deployment_by_service ON deployment (service_id, started_at DESC);

CREATE TABLE setting (
    setting_key   VARCHAR(100)  PRIMARY KEY,
    setting_value VARCHAR(4000) NOT NULL
);
