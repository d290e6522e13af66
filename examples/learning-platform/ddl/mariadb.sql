-- learning_analytics: the analytics warehouse of the reference online-learning platform (MariaDB 10.11).
--
-- user_id columns hold learning_app.users.id and lecture_id holds learning_app.recorded_lectures.id. The two live in
-- another database on another server, so no foreign key can enforce them; ../datasets/learning_analytics.yml declares
-- the references instead, and erasure follows them.
--
-- As in postgres.sql, the secondary indexes come after the `@steward:after-load` marker so that `steward demo seed`
-- can build them once, after the bulk load.

CREATE TABLE clickstream_events (
  id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  user_id     BIGINT UNSIGNED NULL,
  device_id   VARCHAR(64)     NOT NULL,
  ip          VARCHAR(45)     NOT NULL,
  url         VARCHAR(512)    NOT NULL,
  referrer    VARCHAR(512)    NULL,
  user_agent  VARCHAR(255)    NOT NULL,
  occurred_at DATETIME(3)     NOT NULL,
  PRIMARY KEY (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE email_engagement_events (
  id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  user_id      BIGINT UNSIGNED NOT NULL,
  campaign_key VARCHAR(64)     NOT NULL,
  event_type   ENUM('delivered', 'open', 'click') NOT NULL,
  link_url     VARCHAR(512)    NULL,
  ip           VARCHAR(45)     NULL,
  user_agent   VARCHAR(255)    NULL,
  occurred_at  DATETIME(3)     NOT NULL,
  PRIMARY KEY (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE partner_site_activity (
  id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  user_id       BIGINT UNSIGNED NOT NULL,
  partner_site  VARCHAR(64)     NOT NULL,
  pages_viewed  INT UNSIGNED    NOT NULL,
  seconds_spent INT UNSIGNED    NOT NULL,
  activity_date DATE            NOT NULL,
  PRIMARY KEY (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE ereader_usage (
  id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  user_id      BIGINT UNSIGNED NOT NULL,
  device_id    VARCHAR(64)     NOT NULL,
  book_key     VARCHAR(64)     NOT NULL,
  pages_read   INT UNSIGNED    NOT NULL,
  seconds_read INT UNSIGNED    NOT NULL,
  highlights   INT UNSIGNED    NOT NULL DEFAULT 0,
  occurred_at  DATETIME        NOT NULL,
  PRIMARY KEY (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- Which learner watched which recorded lecture; the lecture's instructor may see this.
CREATE TABLE lecture_views (
  id              BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  lecture_id      BIGINT UNSIGNED NOT NULL,
  user_id         BIGINT UNSIGNED NOT NULL,
  viewed_at       DATETIME(3)     NOT NULL,
  seconds_watched INT UNSIGNED    NOT NULL,
  PRIMARY KEY (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- Learners placed in advertising audiences; hashed_email is the SHA-256 of the account e-mail sent to the ad platform.
CREATE TABLE marketing_audience_members (
  id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  user_id      BIGINT UNSIGNED NOT NULL,
  audience_key VARCHAR(64)     NOT NULL,
  hashed_email CHAR(64)        NOT NULL,
  destination  VARCHAR(32)     NOT NULL,
  added_at     DATETIME        NOT NULL,
  PRIMARY KEY (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- Model outputs per learner, recomputed nightly.
CREATE TABLE recommendation_features (
  user_id              BIGINT UNSIGNED NOT NULL,
  top_topics           JSON            NOT NULL,
  predicted_completion DECIMAL(4,3)    NOT NULL,
  engagement_score     DECIMAL(6,2)    NOT NULL,
  churn_risk           DECIMAL(4,3)    NOT NULL,
  computed_at          DATETIME        NOT NULL,
  PRIMARY KEY (user_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- @steward:after-load ─ secondary indexes ──────────────────────────────────────────────────────────────────────────

-- The two largest tables are swept by age (retention rules `clickstream`, `email_engagement`): their timestamp is
-- indexed, so a sweep reads only what is due instead of the whole table.
ALTER TABLE clickstream_events
  ADD INDEX clickstream_events_user_id_idx (user_id),
  ADD INDEX clickstream_events_device_id_idx (device_id),
  ADD INDEX clickstream_events_occurred_at_idx (occurred_at);
ALTER TABLE email_engagement_events
  ADD INDEX email_engagement_events_user_id_idx (user_id),
  ADD INDEX email_engagement_events_occurred_at_idx (occurred_at);
ALTER TABLE partner_site_activity ADD INDEX partner_site_activity_user_id_idx (user_id);
ALTER TABLE ereader_usage
  ADD INDEX ereader_usage_user_id_idx (user_id),
  ADD INDEX ereader_usage_device_id_idx (device_id);
ALTER TABLE lecture_views
  ADD INDEX lecture_views_lecture_id_idx (lecture_id),
  ADD INDEX lecture_views_user_id_idx (user_id);
ALTER TABLE marketing_audience_members ADD UNIQUE INDEX marketing_audience_members_user_audience_key (user_id, audience_key);
