/** Counters shown at `GET /metrics`, in the JSON shape the harness reads. */
export interface MetricsSnapshot {
  unhandledRejections: number;
  uncaughtExceptions: number;
  upgrades: {
    accepted: number;
    /** Rejections per HTTP status, keyed by the status as a string. */
    rejected: Record<string, number>;
    /** Upgrades whose client closed the socket before an outcome could be sent. */
    abandoned: number;
  };
  pendingVerifications: number;
  openConnections: number;
  database: { totalClients: number; idleClients: number; waitingRequests: number };
}

/** Live gauges read when a snapshot is taken. */
export interface MetricsGauges {
  pendingVerifications(): number;
  openConnections(): number;
  database(): MetricsSnapshot['database'];
}

/**
 * Process counters. `main.ts` shares one instance between the process-level handlers and the
 * server, so `/metrics` shows unhandled rejections too.
 */
export class ServerMetrics {
  unhandledRejections = 0;
  uncaughtExceptions = 0;
  acceptedUpgrades = 0;
  abandonedUpgrades = 0;
  readonly #rejectedUpgrades = new Map<number, number>();

  recordRejected(status: number): void {
    this.#rejectedUpgrades.set(status, (this.#rejectedUpgrades.get(status) ?? 0) + 1);
  }

  snapshot(gauges: MetricsGauges): MetricsSnapshot {
    const rejected: Record<string, number> = {};
    for (const [status, count] of [...this.#rejectedUpgrades].sort(([a], [b]) => a - b)) {
      rejected[String(status)] = count;
    }

    return {
      unhandledRejections: this.unhandledRejections,
      uncaughtExceptions: this.uncaughtExceptions,
      upgrades: { accepted: this.acceptedUpgrades, rejected, abandoned: this.abandonedUpgrades },
      pendingVerifications: gauges.pendingVerifications(),
      openConnections: gauges.openConnections(),
      database: gauges.database(),
    };
  }
}
