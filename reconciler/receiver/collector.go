package receiver

import (
	"github.com/prometheus/client_golang/prometheus"
)

var requestsDesc = prometheus.NewDesc(
	"tabby_receiver_requests_total",
	"Push-event requests to the receiver, by result.",
	[]string{"result"}, nil,
)

// Collector exposes the receiver's Stats as the Prometheus counter
// tabby_receiver_requests_total{result}.
func (r *Receiver) Collector() prometheus.Collector { return collector{r} }

type collector struct{ r *Receiver }

func (c collector) Describe(ch chan<- *prometheus.Desc) { ch <- requestsDesc }

func (c collector) Collect(ch chan<- prometheus.Metric) {
	for result, n := range c.r.Stats() {
		ch <- prometheus.MustNewConstMetric(requestsDesc, prometheus.CounterValue, float64(n), string(result))
	}
}
