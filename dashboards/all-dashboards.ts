import { clusterOverview } from './cluster-overview.js';
import type { DashboardSpec } from './dashboard-spec.js';
import { operatorDashboard } from './operator-dashboard.js';
import { redisRing } from './redis-ring.js';

/** Every dashboard the chart ships, in the order the README lists them. */
export const allDashboards: readonly DashboardSpec[] = [clusterOverview, redisRing, operatorDashboard];
