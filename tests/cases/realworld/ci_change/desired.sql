--
-- PostgreSQL database dump
--

\restrict JA5O5POFF39Pgci59tARJKvNKQm8ZUgmVaLWZCbDw4uTYy2czyau8z9pnVLpSzH

-- Dumped from database version 15.20 (Debian 15.20-0+deb12u1)
-- Dumped by pg_dump version 15.20 (Debian 15.20-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: ci; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA ci;


--
-- Name: ci_internal; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA ci_internal;


--
-- Name: SCHEMA ci_internal; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON SCHEMA ci_internal IS 'not part of the public API';


--
-- Name: citext; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS citext WITH SCHEMA public;


--
-- Name: EXTENSION citext; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON EXTENSION citext IS 'data type for case-insensitive character strings';


--
-- Name: job_state; Type: TYPE; Schema: ci; Owner: -
--

CREATE TYPE ci.job_state AS ENUM (
    'queued',
    'running',
    'success',
    'failed',
    'cancelled',
    'skipped'
);


--
-- Name: runner_kind; Type: TYPE; Schema: ci; Owner: -
--

CREATE TYPE ci.runner_kind AS ENUM (
    'instance',
    'shared',
    'group',
    'project'
);


--
-- Name: duration_seconds(interval); Type: FUNCTION; Schema: ci; Owner: -
--

CREATE FUNCTION ci.duration_seconds(p interval) RETURNS numeric
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT extract(epoch FROM p) $$;


--
-- Name: FUNCTION duration_seconds(p interval); Type: COMMENT; Schema: ci; Owner: -
--

COMMENT ON FUNCTION ci.duration_seconds(p interval) IS 'interval as seconds';


--
-- Name: duration_seconds(timestamp with time zone, timestamp with time zone); Type: FUNCTION; Schema: ci; Owner: -
--

CREATE FUNCTION ci.duration_seconds(p_start timestamp with time zone, p_end timestamp with time zone) RETURNS numeric
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT extract(epoch FROM p_end - p_start) $$;


--
-- Name: pipeline_counts(bigint); Type: FUNCTION; Schema: ci; Owner: -
--

CREATE FUNCTION ci.pipeline_counts(p_project_id bigint, OUT state ci.job_state, OUT n bigint) RETURNS SETOF record
    LANGUAGE sql STABLE ROWS 6
    AS $$ SELECT state, count(*) FROM ci.pipelines WHERE project_id = p_project_id GROUP BY state $$;


--
-- Name: recent_jobs(integer); Type: FUNCTION; Schema: ci; Owner: -
--

CREATE FUNCTION ci.recent_jobs(p_limit integer DEFAULT 50) RETURNS TABLE(job_id bigint, job_name text, job_state ci.job_state)
    LANGUAGE sql STABLE
    AS $$ SELECT id, name, state FROM ci.jobs ORDER BY id DESC LIMIT p_limit $$;


--
-- Name: expire_artifacts(timestamp with time zone); Type: PROCEDURE; Schema: ci_internal; Owner: -
--

CREATE PROCEDURE ci_internal.expire_artifacts(IN p_before timestamp with time zone)
    LANGUAGE plpgsql
    AS $$
BEGIN
  DELETE FROM ci.job_artifacts WHERE expire_at < p_before;
  COMMIT;
END;
$$;


--
-- Name: notify_job_queued(); Type: FUNCTION; Schema: ci_internal; Owner: -
--

CREATE FUNCTION ci_internal.notify_job_queued() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  PERFORM pg_notify('ci_jobs', json_build_object('id', NEW.id, 'stage', NEW.stage)::text);
  RETURN NULL;
END;
$$;


--
-- Name: pipeline_state_sync(); Type: FUNCTION; Schema: ci_internal; Owner: -
--

CREATE FUNCTION ci_internal.pipeline_state_sync() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  UPDATE ci.pipelines p SET state = CASE
      WHEN EXISTS (SELECT 1 FROM new_jobs j WHERE j.pipeline_id = p.id AND j.state = 'failed') THEN 'failed'::ci.job_state
      ELSE p.state END
  WHERE p.id IN (SELECT pipeline_id FROM new_jobs);
  RETURN NULL;
END;
$$;


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: projects; Type: TABLE; Schema: ci; Owner: -
--

CREATE TABLE ci.projects (
    id bigint NOT NULL,
    namespace_id bigint NOT NULL,
    name text NOT NULL,
    default_branch text DEFAULT 'main'::text NOT NULL,
    visibility smallint DEFAULT 0 NOT NULL,
    archived boolean DEFAULT false NOT NULL,
    settings jsonb DEFAULT '{}'::jsonb,
    CONSTRAINT projects_visibility_check CHECK ((visibility = ANY (ARRAY[0, 10, 20])))
);

ALTER TABLE ONLY ci.projects FORCE ROW LEVEL SECURITY;


--
-- Name: active_projects; Type: VIEW; Schema: ci; Owner: -
--

CREATE VIEW ci.active_projects WITH (security_invoker='true') AS
 SELECT projects.id,
    projects.namespace_id,
    projects.name,
    projects.default_branch,
    projects.visibility
   FROM ci.projects
  WHERE (NOT projects.archived)
  WITH CASCADED CHECK OPTION;


--
-- Name: build_logs; Type: TABLE; Schema: ci; Owner: -
--

CREATE TABLE ci.build_logs (
    job_id bigint NOT NULL,
    chunk_index integer NOT NULL,
    data text NOT NULL
)
PARTITION BY HASH (job_id);


--
-- Name: build_logs_p0; Type: TABLE; Schema: ci; Owner: -
--

CREATE TABLE ci.build_logs_p0 (
    job_id bigint NOT NULL,
    chunk_index integer NOT NULL,
    data text NOT NULL
);


--
-- Name: build_logs_p1; Type: TABLE; Schema: ci; Owner: -
--

CREATE TABLE ci.build_logs_p1 (
    job_id bigint NOT NULL,
    chunk_index integer NOT NULL,
    data text NOT NULL
);


--
-- Name: build_logs_p2; Type: TABLE; Schema: ci; Owner: -
--

CREATE TABLE ci.build_logs_p2 (
    job_id bigint NOT NULL,
    chunk_index integer NOT NULL,
    data text NOT NULL
);


--
-- Name: build_logs_p3; Type: TABLE; Schema: ci; Owner: -
--

CREATE TABLE ci.build_logs_p3 (
    job_id bigint NOT NULL,
    chunk_index integer NOT NULL,
    data text NOT NULL
);


--
-- Name: events; Type: TABLE; Schema: ci; Owner: -
--

CREATE TABLE ci.events (
    id bigint NOT NULL,
    project_id bigint,
    kind text NOT NULL,
    payload jsonb,
    created_at timestamp with time zone DEFAULT now() NOT NULL
)
PARTITION BY LIST (kind);


--
-- Name: events_id_seq; Type: SEQUENCE; Schema: ci; Owner: -
--

CREATE SEQUENCE ci.events_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 20
    CYCLE;


--
-- Name: events_id_seq; Type: SEQUENCE OWNED BY; Schema: ci; Owner: -
--

ALTER SEQUENCE ci.events_id_seq OWNED BY ci.events.id;


--
-- Name: events_merge_request; Type: TABLE; Schema: ci; Owner: -
--

CREATE TABLE ci.events_merge_request (
    id bigint DEFAULT nextval('ci.events_id_seq'::regclass) NOT NULL,
    project_id bigint,
    kind text NOT NULL,
    payload jsonb,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: events_other; Type: TABLE; Schema: ci; Owner: -
--

CREATE TABLE ci.events_other (
    id bigint DEFAULT nextval('ci.events_id_seq'::regclass) NOT NULL,
    project_id bigint,
    kind text NOT NULL,
    payload jsonb,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: events_push; Type: TABLE; Schema: ci; Owner: -
--

CREATE TABLE ci.events_push (
    id bigint DEFAULT nextval('ci.events_id_seq'::regclass) NOT NULL,
    project_id bigint,
    kind text NOT NULL,
    payload jsonb,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: job_artifacts; Type: TABLE; Schema: ci; Owner: -
--

CREATE TABLE ci.job_artifacts (
    id bigint NOT NULL,
    job_id bigint NOT NULL,
    file_type smallint NOT NULL,
    size bigint,
    expire_at timestamp with time zone,
    file_sha256 bytea
);


--
-- Name: job_artifacts_id_seq; Type: SEQUENCE; Schema: ci; Owner: -
--

ALTER TABLE ci.job_artifacts ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME ci.job_artifacts_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: jobs; Type: TABLE; Schema: ci; Owner: -
--

CREATE TABLE ci.jobs (
    id bigint NOT NULL,
    pipeline_id bigint NOT NULL,
    runner_id integer,
    stage text NOT NULL,
    name text NOT NULL,
    state ci.job_state DEFAULT 'queued'::ci.job_state NOT NULL,
    attempt smallint DEFAULT 1 NOT NULL,
    needs text[],
    started_at timestamp with time zone,
    finished_at timestamp with time zone,
    timeout_seconds integer DEFAULT 3600 NOT NULL,
    CONSTRAINT jobs_finished_after_started CHECK (((finished_at IS NULL) OR (started_at IS NULL) OR (finished_at >= started_at))),
    CONSTRAINT jobs_timeout_check CHECK ((timeout_seconds > 0))
);
ALTER TABLE ONLY ci.jobs ALTER COLUMN name SET STORAGE MAIN;


--
-- Name: job_durations; Type: VIEW; Schema: ci; Owner: -
--

CREATE VIEW ci.job_durations AS
 SELECT j.id,
    j.pipeline_id,
    ci.duration_seconds(j.started_at, j.finished_at) AS seconds
   FROM ci.jobs j
  WHERE (j.finished_at IS NOT NULL);


--
-- Name: jobs_id_seq; Type: SEQUENCE; Schema: ci; Owner: -
--

ALTER TABLE ci.jobs ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME ci.jobs_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: namespaces; Type: TABLE; Schema: ci; Owner: -
--

CREATE TABLE ci.namespaces (
    id bigint NOT NULL,
    path public.citext NOT NULL,
    name text NOT NULL COLLATE pg_catalog."C",
    parent_id bigint
)
WITH (fillfactor='90');


--
-- Name: namespace_tree; Type: VIEW; Schema: ci; Owner: -
--

CREATE VIEW ci.namespace_tree AS
 WITH RECURSIVE tree AS (
         SELECT n.id,
            (n.path)::text AS full_path,
            0 AS depth
           FROM ci.namespaces n
          WHERE (n.parent_id IS NULL)
        UNION ALL
         SELECT c.id,
            ((t.full_path || '/'::text) || (c.path)::text),
            (t.depth + 1)
           FROM (ci.namespaces c
             JOIN tree t ON ((c.parent_id = t.id)))
        )
 SELECT tree.id,
    tree.full_path,
    tree.depth
   FROM tree;


--
-- Name: namespaces_id_seq; Type: SEQUENCE; Schema: ci; Owner: -
--

ALTER TABLE ci.namespaces ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME ci.namespaces_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: pipelines; Type: TABLE; Schema: ci; Owner: -
--

CREATE TABLE ci.pipelines (
    id bigint NOT NULL,
    project_id bigint NOT NULL,
    ref text NOT NULL,
    sha character(40) NOT NULL,
    source text NOT NULL,
    state ci.job_state DEFAULT 'queued'::ci.job_state NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    finished_at timestamp with time zone,
    duration interval GENERATED ALWAYS AS ((finished_at - created_at)) STORED,
    CONSTRAINT pipelines_sha_check CHECK ((sha ~ '^[0-9a-f]{40}$'::text))
);


--
-- Name: COLUMN pipelines.duration; Type: COMMENT; Schema: ci; Owner: -
--

COMMENT ON COLUMN ci.pipelines.duration IS 'computed from created_at and finished_at';


--
-- Name: CONSTRAINT pipelines_sha_check ON pipelines; Type: COMMENT; Schema: ci; Owner: -
--

COMMENT ON CONSTRAINT pipelines_sha_check ON ci.pipelines IS 'full hex SHA-1';


--
-- Name: pipelines_id_seq; Type: SEQUENCE; Schema: ci; Owner: -
--

ALTER TABLE ci.pipelines ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME ci.pipelines_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: project_stats; Type: MATERIALIZED VIEW; Schema: ci; Owner: -
--

CREATE MATERIALIZED VIEW ci.project_stats AS
 SELECT p.project_id,
    count(*) AS pipelines,
    count(*) FILTER (WHERE (p.state = 'failed'::ci.job_state)) AS failed,
    percentile_cont((0.5)::double precision) WITHIN GROUP (ORDER BY ((ci.duration_seconds(p.duration))::double precision)) AS median_seconds
   FROM ci.pipelines p
  GROUP BY p.project_id
  WITH NO DATA;


--
-- Name: projects_id_seq; Type: SEQUENCE; Schema: ci; Owner: -
--

ALTER TABLE ci.projects ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME ci.projects_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: runners; Type: TABLE; Schema: ci; Owner: -
--

CREATE TABLE ci.runners (
    id integer NOT NULL,
    token_digest bytea NOT NULL,
    kind ci.runner_kind NOT NULL,
    tags text[] DEFAULT '{}'::text[] NOT NULL,
    contacted_at timestamp with time zone
);


--
-- Name: runners_id_seq; Type: SEQUENCE; Schema: ci; Owner: -
--

ALTER TABLE ci.runners ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME ci.runners_id_seq
    START WITH 100
    INCREMENT BY 10
    MINVALUE 100
    NO MAXVALUE
    CACHE 5
);


--
-- Name: schedules; Type: TABLE; Schema: ci; Owner: -
--

CREATE TABLE ci.schedules (
    id bigint NOT NULL,
    project_id bigint NOT NULL,
    cron text NOT NULL,
    cron_timezone text DEFAULT 'UTC'::text NOT NULL,
    next_run_at timestamp with time zone,
    active boolean DEFAULT true NOT NULL
);


--
-- Name: TABLE schedules; Type: COMMENT; Schema: ci; Owner: -
--

COMMENT ON TABLE ci.schedules IS 'cron-style pipeline schedules';


--
-- Name: schedules_id_seq; Type: SEQUENCE; Schema: ci; Owner: -
--

ALTER TABLE ci.schedules ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME ci.schedules_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: job_heartbeats; Type: TABLE; Schema: ci_internal; Owner: -
--

CREATE UNLOGGED TABLE ci_internal.job_heartbeats (
    job_id bigint NOT NULL,
    runner_id integer NOT NULL,
    beat_at timestamp with time zone DEFAULT now() NOT NULL
)
WITH (autovacuum_vacuum_scale_factor='0.01');


--
-- Name: build_logs_p0; Type: TABLE ATTACH; Schema: ci; Owner: -
--

ALTER TABLE ONLY ci.build_logs ATTACH PARTITION ci.build_logs_p0 FOR VALUES WITH (modulus 4, remainder 0);


--
-- Name: build_logs_p1; Type: TABLE ATTACH; Schema: ci; Owner: -
--

ALTER TABLE ONLY ci.build_logs ATTACH PARTITION ci.build_logs_p1 FOR VALUES WITH (modulus 4, remainder 1);


--
-- Name: build_logs_p2; Type: TABLE ATTACH; Schema: ci; Owner: -
--

ALTER TABLE ONLY ci.build_logs ATTACH PARTITION ci.build_logs_p2 FOR VALUES WITH (modulus 4, remainder 2);


--
-- Name: build_logs_p3; Type: TABLE ATTACH; Schema: ci; Owner: -
--

ALTER TABLE ONLY ci.build_logs ATTACH PARTITION ci.build_logs_p3 FOR VALUES WITH (modulus 4, remainder 3);


--
-- Name: events_merge_request; Type: TABLE ATTACH; Schema: ci; Owner: -
--

ALTER TABLE ONLY ci.events ATTACH PARTITION ci.events_merge_request FOR VALUES IN ('merge_request');


--
-- Name: events_other; Type: TABLE ATTACH; Schema: ci; Owner: -
--

ALTER TABLE ONLY ci.events ATTACH PARTITION ci.events_other DEFAULT;


--
-- Name: events_push; Type: TABLE ATTACH; Schema: ci; Owner: -
--

ALTER TABLE ONLY ci.events ATTACH PARTITION ci.events_push FOR VALUES IN ('push', 'tag_push');


--
-- Name: events id; Type: DEFAULT; Schema: ci; Owner: -
--

ALTER TABLE ONLY ci.events ALTER COLUMN id SET DEFAULT nextval('ci.events_id_seq'::regclass);


--
-- Name: build_logs build_logs_pkey; Type: CONSTRAINT; Schema: ci; Owner: -
--

ALTER TABLE ONLY ci.build_logs
    ADD CONSTRAINT build_logs_pkey PRIMARY KEY (job_id, chunk_index);


--
-- Name: build_logs_p0 build_logs_p0_pkey; Type: CONSTRAINT; Schema: ci; Owner: -
--

ALTER TABLE ONLY ci.build_logs_p0
    ADD CONSTRAINT build_logs_p0_pkey PRIMARY KEY (job_id, chunk_index);


--
-- Name: build_logs_p1 build_logs_p1_pkey; Type: CONSTRAINT; Schema: ci; Owner: -
--

ALTER TABLE ONLY ci.build_logs_p1
    ADD CONSTRAINT build_logs_p1_pkey PRIMARY KEY (job_id, chunk_index);


--
-- Name: build_logs_p2 build_logs_p2_pkey; Type: CONSTRAINT; Schema: ci; Owner: -
--

ALTER TABLE ONLY ci.build_logs_p2
    ADD CONSTRAINT build_logs_p2_pkey PRIMARY KEY (job_id, chunk_index);


--
-- Name: build_logs_p3 build_logs_p3_pkey; Type: CONSTRAINT; Schema: ci; Owner: -
--

ALTER TABLE ONLY ci.build_logs_p3
    ADD CONSTRAINT build_logs_p3_pkey PRIMARY KEY (job_id, chunk_index);


--
-- Name: job_artifacts job_artifacts_pkey; Type: CONSTRAINT; Schema: ci; Owner: -
--

ALTER TABLE ONLY ci.job_artifacts
    ADD CONSTRAINT job_artifacts_pkey PRIMARY KEY (id);


--
-- Name: jobs jobs_pkey; Type: CONSTRAINT; Schema: ci; Owner: -
--

ALTER TABLE ONLY ci.jobs
    ADD CONSTRAINT jobs_pkey PRIMARY KEY (id);


--
-- Name: namespaces namespaces_path_key; Type: CONSTRAINT; Schema: ci; Owner: -
--

ALTER TABLE ONLY ci.namespaces
    ADD CONSTRAINT namespaces_path_key UNIQUE (path);


--
-- Name: namespaces namespaces_pkey; Type: CONSTRAINT; Schema: ci; Owner: -
--

ALTER TABLE ONLY ci.namespaces
    ADD CONSTRAINT namespaces_pkey PRIMARY KEY (id);


--
-- Name: pipelines pipelines_pkey; Type: CONSTRAINT; Schema: ci; Owner: -
--

ALTER TABLE ONLY ci.pipelines
    ADD CONSTRAINT pipelines_pkey PRIMARY KEY (id);


--
-- Name: projects projects_namespace_name_key; Type: CONSTRAINT; Schema: ci; Owner: -
--

ALTER TABLE ONLY ci.projects
    ADD CONSTRAINT projects_namespace_name_key UNIQUE NULLS NOT DISTINCT (namespace_id, name);


--
-- Name: projects projects_pkey; Type: CONSTRAINT; Schema: ci; Owner: -
--

ALTER TABLE ONLY ci.projects
    ADD CONSTRAINT projects_pkey PRIMARY KEY (id);


--
-- Name: runners runners_pkey; Type: CONSTRAINT; Schema: ci; Owner: -
--

ALTER TABLE ONLY ci.runners
    ADD CONSTRAINT runners_pkey PRIMARY KEY (id);


--
-- Name: runners runners_token_digest_key; Type: CONSTRAINT; Schema: ci; Owner: -
--

ALTER TABLE ONLY ci.runners
    ADD CONSTRAINT runners_token_digest_key UNIQUE (token_digest) INCLUDE (kind);


--
-- Name: schedules schedules_pkey; Type: CONSTRAINT; Schema: ci; Owner: -
--

ALTER TABLE ONLY ci.schedules
    ADD CONSTRAINT schedules_pkey PRIMARY KEY (id);


--
-- Name: job_heartbeats job_heartbeats_pkey; Type: CONSTRAINT; Schema: ci_internal; Owner: -
--

ALTER TABLE ONLY ci_internal.job_heartbeats
    ADD CONSTRAINT job_heartbeats_pkey PRIMARY KEY (job_id);


--
-- Name: events_project_created_idx; Type: INDEX; Schema: ci; Owner: -
--

CREATE INDEX events_project_created_idx ON ONLY ci.events USING btree (project_id, created_at DESC);


--
-- Name: events_merge_request_project_id_created_at_idx; Type: INDEX; Schema: ci; Owner: -
--

CREATE INDEX events_merge_request_project_id_created_at_idx ON ci.events_merge_request USING btree (project_id, created_at DESC);


--
-- Name: events_other_project_id_created_at_idx; Type: INDEX; Schema: ci; Owner: -
--

CREATE INDEX events_other_project_id_created_at_idx ON ci.events_other USING btree (project_id, created_at DESC);


--
-- Name: events_push_project_id_created_at_idx; Type: INDEX; Schema: ci; Owner: -
--

CREATE INDEX events_push_project_id_created_at_idx ON ci.events_push USING btree (project_id, created_at DESC);


--
-- Name: job_artifacts_expire_idx; Type: INDEX; Schema: ci; Owner: -
--

CREATE INDEX job_artifacts_expire_idx ON ci.job_artifacts USING btree (expire_at NULLS FIRST) WHERE (expire_at IS NOT NULL);


--
-- Name: jobs_pending_idx; Type: INDEX; Schema: ci; Owner: -
--

CREATE INDEX jobs_pending_idx ON ci.jobs USING btree (id) WHERE ((state = 'queued'::ci.job_state) AND (runner_id IS NULL));


--
-- Name: INDEX jobs_pending_idx; Type: COMMENT; Schema: ci; Owner: -
--

COMMENT ON INDEX ci.jobs_pending_idx IS 'the scheduler queue';


--
-- Name: jobs_pipeline_id_idx; Type: INDEX; Schema: ci; Owner: -
--

CREATE INDEX jobs_pipeline_id_idx ON ci.jobs USING btree (pipeline_id);


--
-- Name: jobs_runner_id_idx; Type: INDEX; Schema: ci; Owner: -
--

CREATE INDEX jobs_runner_id_idx ON ci.jobs USING btree (runner_id) WHERE (runner_id IS NOT NULL);


--
-- Name: pipelines_project_ref_idx; Type: INDEX; Schema: ci; Owner: -
--

CREATE INDEX pipelines_project_ref_idx ON ci.pipelines USING btree (project_id, ref, id DESC);


--
-- Name: pipelines_sha_idx; Type: INDEX; Schema: ci; Owner: -
--

CREATE INDEX pipelines_sha_idx ON ci.pipelines USING hash (sha);


--
-- Name: projects_name_idx; Type: INDEX; Schema: ci; Owner: -
--

CREATE INDEX projects_name_idx ON ci.projects USING btree (name COLLATE "C" text_pattern_ops);


--
-- Name: projects_settings_idx; Type: INDEX; Schema: ci; Owner: -
--

CREATE INDEX projects_settings_idx ON ci.projects USING btree (((settings ->> 'runner_group'::text)));


--
-- Name: runners_tags_idx; Type: INDEX; Schema: ci; Owner: -
--

CREATE INDEX runners_tags_idx ON ci.runners USING gin (tags);


--
-- Name: schedules_next_run_idx; Type: INDEX; Schema: ci; Owner: -
--

CREATE INDEX schedules_next_run_idx ON ci.schedules USING btree (next_run_at) WHERE active;


--
-- Name: build_logs_p0_pkey; Type: INDEX ATTACH; Schema: ci; Owner: -
--

ALTER INDEX ci.build_logs_pkey ATTACH PARTITION ci.build_logs_p0_pkey;


--
-- Name: build_logs_p1_pkey; Type: INDEX ATTACH; Schema: ci; Owner: -
--

ALTER INDEX ci.build_logs_pkey ATTACH PARTITION ci.build_logs_p1_pkey;


--
-- Name: build_logs_p2_pkey; Type: INDEX ATTACH; Schema: ci; Owner: -
--

ALTER INDEX ci.build_logs_pkey ATTACH PARTITION ci.build_logs_p2_pkey;


--
-- Name: build_logs_p3_pkey; Type: INDEX ATTACH; Schema: ci; Owner: -
--

ALTER INDEX ci.build_logs_pkey ATTACH PARTITION ci.build_logs_p3_pkey;


--
-- Name: events_merge_request_project_id_created_at_idx; Type: INDEX ATTACH; Schema: ci; Owner: -
--

ALTER INDEX ci.events_project_created_idx ATTACH PARTITION ci.events_merge_request_project_id_created_at_idx;


--
-- Name: events_other_project_id_created_at_idx; Type: INDEX ATTACH; Schema: ci; Owner: -
--

ALTER INDEX ci.events_project_created_idx ATTACH PARTITION ci.events_other_project_id_created_at_idx;


--
-- Name: events_push_project_id_created_at_idx; Type: INDEX ATTACH; Schema: ci; Owner: -
--

ALTER INDEX ci.events_project_created_idx ATTACH PARTITION ci.events_push_project_id_created_at_idx;


--
-- Name: jobs jobs_notify_queued; Type: TRIGGER; Schema: ci; Owner: -
--

CREATE TRIGGER jobs_notify_queued AFTER INSERT OR UPDATE OF state ON ci.jobs FOR EACH ROW WHEN ((new.state = 'queued'::ci.job_state)) EXECUTE FUNCTION ci_internal.notify_job_queued();


--
-- Name: TRIGGER jobs_notify_queued ON jobs; Type: COMMENT; Schema: ci; Owner: -
--

COMMENT ON TRIGGER jobs_notify_queued ON ci.jobs IS 'wakes runners';


--
-- Name: jobs jobs_state_sync; Type: TRIGGER; Schema: ci; Owner: -
--

CREATE TRIGGER jobs_state_sync AFTER UPDATE ON ci.jobs REFERENCING NEW TABLE AS new_jobs FOR EACH STATEMENT EXECUTE FUNCTION ci_internal.pipeline_state_sync();


--
-- Name: build_logs build_logs_job_id_fkey; Type: FK CONSTRAINT; Schema: ci; Owner: -
--

ALTER TABLE ci.build_logs
    ADD CONSTRAINT build_logs_job_id_fkey FOREIGN KEY (job_id) REFERENCES ci.jobs(id) ON DELETE CASCADE;


--
-- Name: job_artifacts job_artifacts_job_id_fkey; Type: FK CONSTRAINT; Schema: ci; Owner: -
--

ALTER TABLE ONLY ci.job_artifacts
    ADD CONSTRAINT job_artifacts_job_id_fkey FOREIGN KEY (job_id) REFERENCES ci.jobs(id) ON DELETE CASCADE;


--
-- Name: jobs jobs_pipeline_id_fkey; Type: FK CONSTRAINT; Schema: ci; Owner: -
--

ALTER TABLE ONLY ci.jobs
    ADD CONSTRAINT jobs_pipeline_id_fkey FOREIGN KEY (pipeline_id) REFERENCES ci.pipelines(id) ON DELETE CASCADE;


--
-- Name: jobs jobs_runner_id_fkey; Type: FK CONSTRAINT; Schema: ci; Owner: -
--

ALTER TABLE ONLY ci.jobs
    ADD CONSTRAINT jobs_runner_id_fkey FOREIGN KEY (runner_id) REFERENCES ci.runners(id) ON DELETE SET NULL (runner_id);


--
-- Name: namespaces namespaces_parent_id_fkey; Type: FK CONSTRAINT; Schema: ci; Owner: -
--

ALTER TABLE ONLY ci.namespaces
    ADD CONSTRAINT namespaces_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES ci.namespaces(id) ON DELETE CASCADE;


--
-- Name: pipelines pipelines_project_id_fkey; Type: FK CONSTRAINT; Schema: ci; Owner: -
--

ALTER TABLE ONLY ci.pipelines
    ADD CONSTRAINT pipelines_project_id_fkey FOREIGN KEY (project_id) REFERENCES ci.projects(id) ON DELETE CASCADE;


--
-- Name: projects projects_namespace_id_fkey; Type: FK CONSTRAINT; Schema: ci; Owner: -
--

ALTER TABLE ONLY ci.projects
    ADD CONSTRAINT projects_namespace_id_fkey FOREIGN KEY (namespace_id) REFERENCES ci.namespaces(id) ON DELETE CASCADE;


--
-- Name: schedules schedules_project_id_fkey; Type: FK CONSTRAINT; Schema: ci; Owner: -
--

ALTER TABLE ONLY ci.schedules
    ADD CONSTRAINT schedules_project_id_fkey FOREIGN KEY (project_id) REFERENCES ci.projects(id) ON DELETE CASCADE;


--
-- Name: job_heartbeats job_heartbeats_job_id_fkey; Type: FK CONSTRAINT; Schema: ci_internal; Owner: -
--

ALTER TABLE ONLY ci_internal.job_heartbeats
    ADD CONSTRAINT job_heartbeats_job_id_fkey FOREIGN KEY (job_id) REFERENCES ci.jobs(id) ON DELETE CASCADE;


--
-- Name: projects; Type: ROW SECURITY; Schema: ci; Owner: -
--

ALTER TABLE ci.projects ENABLE ROW LEVEL SECURITY;

--
-- Name: projects projects_not_archived; Type: POLICY; Schema: ci; Owner: -
--

CREATE POLICY projects_not_archived ON ci.projects AS RESTRICTIVE FOR UPDATE TO app_writer USING ((NOT archived));


--
-- Name: projects projects_public; Type: POLICY; Schema: ci; Owner: -
--

CREATE POLICY projects_public ON ci.projects FOR SELECT USING ((visibility >= 20));


--
-- Name: SCHEMA ci; Type: ACL; Schema: -; Owner: -
--

GRANT USAGE ON SCHEMA ci TO app_reader;
GRANT USAGE ON SCHEMA ci TO app_writer;


--
-- Name: PROCEDURE expire_artifacts(IN p_before timestamp with time zone); Type: ACL; Schema: ci_internal; Owner: -
--

REVOKE ALL ON PROCEDURE ci_internal.expire_artifacts(IN p_before timestamp with time zone) FROM PUBLIC;
GRANT ALL ON PROCEDURE ci_internal.expire_artifacts(IN p_before timestamp with time zone) TO app_owner;


--
-- Name: TABLE projects; Type: ACL; Schema: ci; Owner: -
--

GRANT SELECT ON TABLE ci.projects TO app_reader;


--
-- Name: TABLE active_projects; Type: ACL; Schema: ci; Owner: -
--

GRANT SELECT ON TABLE ci.active_projects TO app_reader;


--
-- Name: TABLE build_logs; Type: ACL; Schema: ci; Owner: -
--

GRANT SELECT ON TABLE ci.build_logs TO app_reader;


--
-- Name: TABLE build_logs_p0; Type: ACL; Schema: ci; Owner: -
--

GRANT SELECT ON TABLE ci.build_logs_p0 TO app_reader;


--
-- Name: TABLE build_logs_p1; Type: ACL; Schema: ci; Owner: -
--

GRANT SELECT ON TABLE ci.build_logs_p1 TO app_reader;


--
-- Name: TABLE build_logs_p2; Type: ACL; Schema: ci; Owner: -
--

GRANT SELECT ON TABLE ci.build_logs_p2 TO app_reader;


--
-- Name: TABLE build_logs_p3; Type: ACL; Schema: ci; Owner: -
--

GRANT SELECT ON TABLE ci.build_logs_p3 TO app_reader;


--
-- Name: TABLE events; Type: ACL; Schema: ci; Owner: -
--

GRANT SELECT ON TABLE ci.events TO app_reader;


--
-- Name: TABLE events_other; Type: ACL; Schema: ci; Owner: -
--

GRANT SELECT ON TABLE ci.events_other TO app_reader;


--
-- Name: TABLE events_push; Type: ACL; Schema: ci; Owner: -
--

GRANT SELECT ON TABLE ci.events_push TO app_reader;


--
-- Name: TABLE job_artifacts; Type: ACL; Schema: ci; Owner: -
--

GRANT SELECT ON TABLE ci.job_artifacts TO app_reader;


--
-- Name: TABLE jobs; Type: ACL; Schema: ci; Owner: -
--

GRANT SELECT ON TABLE ci.jobs TO app_reader;
GRANT INSERT,UPDATE ON TABLE ci.jobs TO app_writer;


--
-- Name: TABLE job_durations; Type: ACL; Schema: ci; Owner: -
--

GRANT SELECT ON TABLE ci.job_durations TO app_reader;


--
-- Name: TABLE namespaces; Type: ACL; Schema: ci; Owner: -
--

GRANT SELECT ON TABLE ci.namespaces TO app_reader;


--
-- Name: TABLE namespace_tree; Type: ACL; Schema: ci; Owner: -
--

GRANT SELECT ON TABLE ci.namespace_tree TO app_reader;


--
-- Name: TABLE pipelines; Type: ACL; Schema: ci; Owner: -
--

GRANT SELECT ON TABLE ci.pipelines TO app_reader;
GRANT INSERT,UPDATE ON TABLE ci.pipelines TO app_writer;


--
-- Name: TABLE project_stats; Type: ACL; Schema: ci; Owner: -
--

GRANT SELECT ON TABLE ci.project_stats TO app_reader;


--
-- Name: TABLE runners; Type: ACL; Schema: ci; Owner: -
--

GRANT SELECT ON TABLE ci.runners TO app_reader;


--
-- Name: COLUMN runners.id; Type: ACL; Schema: ci; Owner: -
--

GRANT SELECT(id) ON TABLE ci.runners TO app_writer;


--
-- Name: COLUMN runners.kind; Type: ACL; Schema: ci; Owner: -
--

GRANT SELECT(kind) ON TABLE ci.runners TO app_writer;


--
-- Name: COLUMN runners.contacted_at; Type: ACL; Schema: ci; Owner: -
--

GRANT SELECT(contacted_at),UPDATE(contacted_at) ON TABLE ci.runners TO app_writer;


--
-- Name: TABLE job_heartbeats; Type: ACL; Schema: ci_internal; Owner: -
--

GRANT ALL ON TABLE ci_internal.job_heartbeats TO "Mixed Case Role";


--
-- PostgreSQL database dump complete
--

\unrestrict JA5O5POFF39Pgci59tARJKvNKQm8ZUgmVaLWZCbDw4uTYy2czyau8z9pnVLpSzH

