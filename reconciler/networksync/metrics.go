package networksync

import (
	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the controller's Prometheus metrics.
type Metrics struct {
	// ReconcileDuration is comparable to Flux's gotk_reconcile_duration_seconds.
	ReconcileDuration *prometheus.HistogramVec
	ObjectsApplied    *prometheus.CounterVec
	ObjectsPruned     *prometheus.CounterVec
	LastSuccess       *prometheus.GaugeVec
	Ready             *prometheus.GaugeVec
	// DriftObjects counts drifted objects by type: Modified, Deleted,
	// Unmanaged.
	DriftObjects   *prometheus.GaugeVec
	DriftCorrected *prometheus.CounterVec
}

// NewMetrics creates the metrics and registers them with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		ReconcileDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "tabby_reconcile_duration_seconds",
			Help:    "Duration of NetworkSync reconciliations, from the start of a sync to its status update.",
			Buckets: []float64{0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300},
		}, []string{"kind", "namespace", "name"}),
		ObjectsApplied: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "tabby_objects_applied_total",
			Help: "Objects applied by NetworkSyncs, by action (created, configured).",
		}, []string{"namespace", "name", "action"}),
		ObjectsPruned: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "tabby_objects_pruned_total",
			Help: "Objects pruned by NetworkSyncs because they left Git.",
		}, []string{"namespace", "name"}),
		LastSuccess: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "tabby_last_successful_sync_timestamp_seconds",
			Help: "Unix time of the last sync that applied a revision in full.",
		}, []string{"namespace", "name"}),
		Ready: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "tabby_networksync_ready",
			Help: "1 when the NetworkSync's Ready condition is True, 0 otherwise.",
		}, []string{"namespace", "name"}),
		DriftObjects: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "tabby_drift_objects",
			Help: "Objects that differ from the last applied revision, by type: Modified, Deleted, Unmanaged.",
		}, []string{"namespace", "name", "type"}),
		DriftCorrected: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "tabby_drift_corrected_total",
			Help: "Drifted objects restored to Git's state under driftPolicy Correct.",
		}, []string{"namespace", "name"}),
	}
	if reg != nil {
		reg.MustRegister(m.ReconcileDuration, m.ObjectsApplied, m.ObjectsPruned, m.LastSuccess, m.Ready, m.DriftObjects, m.DriftCorrected)
	}
	return m
}
