import { randomBytes } from "node:crypto";
import type { Pool } from "@trackway/db";
import type { RunMode } from "../core/job-rules.js";

/** A job as stored: its definition, parameters and the state of its current or last run. */
export interface JobRecord {
  id: string;
  definition: string;
  parameters: Record<string, string>;
  state: string;
  mode: RunMode | null;
  flinkJobId: string | null;
  startedAt: Date | null;
  savepointPath: string | null;
  failure: string | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

/** One Flink run of a job. */
export interface RunRecord {
  flinkJobId: string;
  mode: RunMode;
  restoredFrom: string | null;
  startedAt: Date;
  endedAt: Date | null;
  endState: string | null;
  failure: string | null;
}

const JOB_COLUMNS = "id, definition, parameters, state, mode, flink_job_id, started_at, savepoint_path, failure, created_by, created_at, updated_at";

interface JobRow {
  id: string;
  definition: string;
  parameters: Record<string, string>;
  state: string;
  mode: RunMode | null;
  flink_job_id: string | null;
  started_at: Date | null;
  savepoint_path: string | null;
  failure: string | null;
  created_by: string;
  created_at: Date;
  updated_at: Date;
}

const toJob = (r: JobRow): JobRecord => ({
  id: r.id,
  definition: r.definition,
  parameters: r.parameters,
  state: r.state,
  mode: r.mode,
  flinkJobId: r.flink_job_id,
  startedAt: r.started_at,
  savepointPath: r.savepoint_path,
  failure: r.failure,
  createdBy: r.created_by,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

// Namespace of the advisory locks that serialise actions on one job (first key of pg_advisory_lock(int, int)).
const LOCK_NAMESPACE = 70_020;

/** Jobs, runs and savepoints in PostgreSQL (migrations/0020_compute_jobs.sql). */
export class JobStore {
  constructor(private readonly pool: Pool) {}

  /** Creates a job in state CREATED. */
  async create(definition: string, parameters: Record<string, string>, createdBy: string): Promise<JobRecord> {
    const id = `job_${randomBytes(6).toString("hex")}`;
    const { rows } = await this.pool.query<JobRow>(
      `INSERT INTO compute_jobs (id, definition, parameters, state, created_by) VALUES ($1, $2, $3, 'CREATED', $4) RETURNING ${JOB_COLUMNS}`,
      [id, definition, JSON.stringify(parameters), createdBy],
    );
    return toJob(rows[0]!);
  }

  /** A job by id, or undefined. */
  async get(id: string): Promise<JobRecord | undefined> {
    const { rows } = await this.pool.query<JobRow>(`SELECT ${JOB_COLUMNS} FROM compute_jobs WHERE id = $1`, [id]);
    return rows[0] ? toJob(rows[0]) : undefined;
  }

  /** Every job, newest first. */
  async list(): Promise<JobRecord[]> {
    const { rows } = await this.pool.query<JobRow>(`SELECT ${JOB_COLUMNS} FROM compute_jobs ORDER BY created_at DESC, id`);
    return rows.map(toJob);
  }

  /** Records a new run as the job's current one (state RUNNING). */
  async startRun(id: string, run: { flinkJobId: string; mode: RunMode; restoredFrom?: string; startedAt: Date }): Promise<JobRecord> {
    await this.pool.query(`INSERT INTO compute_job_runs (job_id, flink_job_id, mode, restored_from, started_at) VALUES ($1, $2, $3, $4, $5)`, [
      id,
      run.flinkJobId,
      run.mode,
      run.restoredFrom ?? null,
      run.startedAt,
    ]);
    const { rows } = await this.pool.query<JobRow>(
      `UPDATE compute_jobs SET state = 'RUNNING', mode = $2, flink_job_id = $3, started_at = $4, failure = NULL, updated_at = now()
       WHERE id = $1 RETURNING ${JOB_COLUMNS}`,
      [id, run.mode, run.flinkJobId, run.startedAt],
    );
    return toJob(rows[0]!);
  }

  /** Records the end of the job's current run: its final state (and failure), and the savepoint it left, if any. */
  async endRun(id: string, flinkJobId: string, end: { state: string; failure?: string; savepointPath?: string }): Promise<JobRecord> {
    await this.pool.query(`UPDATE compute_job_runs SET ended_at = COALESCE(ended_at, now()), end_state = $2, failure = $3 WHERE flink_job_id = $1`, [
      flinkJobId,
      end.state,
      end.failure ?? null,
    ]);
    if (end.savepointPath) {
      await this.pool.query(`INSERT INTO compute_savepoints (job_id, flink_job_id, path) VALUES ($1, $2, $3)`, [id, flinkJobId, end.savepointPath]);
    }
    const { rows } = await this.pool.query<JobRow>(
      `UPDATE compute_jobs SET state = $3, failure = $4, savepoint_path = COALESCE($5, savepoint_path), updated_at = now()
       WHERE id = $1 AND flink_job_id = $2 RETURNING ${JOB_COLUMNS}`,
      [id, flinkJobId, end.state, end.failure ?? null, end.savepointPath ?? null],
    );
    return rows[0] ? toJob(rows[0]) : (await this.get(id))!;
  }

  /** Records a new (not final) Flink state of the current run, for example RESTARTING. */
  async setState(id: string, flinkJobId: string, state: string): Promise<JobRecord> {
    const { rows } = await this.pool.query<JobRow>(
      `UPDATE compute_jobs SET state = $3, updated_at = now() WHERE id = $1 AND flink_job_id = $2 RETURNING ${JOB_COLUMNS}`,
      [id, flinkJobId, state],
    );
    return rows[0] ? toJob(rows[0]) : (await this.get(id))!;
  }

  /** The job's runs, oldest first. */
  async runs(id: string): Promise<RunRecord[]> {
    const { rows } = await this.pool.query<{
      flink_job_id: string;
      mode: RunMode;
      restored_from: string | null;
      started_at: Date;
      ended_at: Date | null;
      end_state: string | null;
      failure: string | null;
    }>(`SELECT flink_job_id, mode, restored_from, started_at, ended_at, end_state, failure FROM compute_job_runs WHERE job_id = $1 ORDER BY id`, [id]);
    return rows.map((r) => ({
      flinkJobId: r.flink_job_id,
      mode: r.mode,
      restoredFrom: r.restored_from,
      startedAt: r.started_at,
      endedAt: r.ended_at,
      endState: r.end_state,
      failure: r.failure,
    }));
  }

  /**
   * Runs `fn` holding the job's advisory lock, so that two actions on one job (from this or another gateway)
   * never interleave. The lock belongs to one connection and is released when `fn` settles.
   */
  async withLock<T>(id: string, fn: () => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query("SELECT pg_advisory_lock($1, hashtext($2))", [LOCK_NAMESPACE, id]);
      try {
        return await fn();
      } finally {
        await client.query("SELECT pg_advisory_unlock($1, hashtext($2))", [LOCK_NAMESPACE, id]);
      }
    } finally {
      client.release();
    }
  }
}
