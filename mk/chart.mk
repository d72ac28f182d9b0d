# The Helm chart's generated parts: the CRD copied from crds/ and the Grafana dashboards rendered from
# dashboards/*.ts (plus their panel list in the chart README). Unit tests fail when these are stale.
.PHONY: chart dashboards

dashboards: deps
	node --import tsx dashboards/write-dashboards.ts

chart: dashboards
	cp crds/realtimeclusters.ringcast.dev.yaml charts/ringcast/crds/realtimeclusters.ringcast.dev.yaml
	@echo "chart: charts/ringcast/crds and dashboards are current"
