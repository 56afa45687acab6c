package webhooks

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"

	admissionregistrationv1 "k8s.io/api/admissionregistration/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// Certificate lifetimes of the self-managed webhook TLS.
const (
	caValidity   = 10 * 365 * 24 * time.Hour
	certValidity = 365 * 24 * time.Hour
	// A certificate is renewed when less than this is left of it.
	renewBefore = 90 * 24 * time.Hour
)

// CertManager keeps the webhook's TLS certificate: a CA and a serving
// certificate stored in a Secret (so that every replica serves the same),
// written to Dir for the webhook server (which reloads them when they
// change), and the CA put into the ValidatingWebhookConfiguration's
// caBundle. It renews the serving certificate, and the CA, before they
// expire; a new CA is patched into the configuration as soon as it exists.
type CertManager struct {
	// Client reads and writes the Secret and the webhook configuration
	// directly, not through a cache.
	Client client.Client
	// Secret holds the CA and the serving certificate.
	Secret client.ObjectKey
	// WebhookConfiguration is the name of the ValidatingWebhookConfiguration
	// whose caBundle is kept up to date.
	WebhookConfiguration string
	// DNSNames of the serving certificate, e.g. tabby-webhook.tabby-system.svc.
	DNSNames []string
	// Dir receives tls.crt and tls.key.
	Dir string
	// Now returns the time; tests set it to check renewal.
	Now func() time.Time
}

// Ensure makes sure a valid certificate is in the Secret and in Dir, and
// its CA in the webhook configuration.
func (m *CertManager) Ensure(ctx context.Context) error {
	now := time.Now
	if m.Now != nil {
		now = m.Now
	}
	var secret corev1.Secret
	err := m.Client.Get(ctx, m.Secret, &secret)
	switch {
	case apierrors.IsNotFound(err):
		secret = corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: m.Secret.Namespace, Name: m.Secret.Name}, Type: corev1.SecretTypeTLS}
	case err != nil:
		return fmt.Errorf("read webhook certificate secret: %w", err)
	}
	data, changed, err := m.renew(secret.Data, now())
	if err != nil {
		return err
	}
	if changed {
		secret.Data = data
		if secret.ResourceVersion == "" {
			err = m.Client.Create(ctx, &secret)
		} else {
			err = m.Client.Update(ctx, &secret)
		}
		if apierrors.IsAlreadyExists(err) || apierrors.IsConflict(err) {
			return m.Ensure(ctx) // another replica renewed it first: use theirs
		}
		if err != nil {
			return fmt.Errorf("store webhook certificate: %w", err)
		}
	}
	if err := m.writeFiles(secret.Data); err != nil {
		return err
	}
	return m.patchCABundle(ctx, secret.Data["ca.crt"])
}

// Start renews the certificate every hour until ctx ends; it is a manager
// Runnable.
func (m *CertManager) Start(ctx context.Context) error {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			if err := m.Ensure(ctx); err != nil {
				return err
			}
		}
	}
}

// renew returns the Secret's data with a CA and serving certificate valid
// for at least renewBefore, and whether it changed.
func (m *CertManager) renew(data map[string][]byte, now time.Time) (map[string][]byte, bool, error) {
	caCert, caKey, caOK := parsePair(data["ca.crt"], data["ca.key"], now)
	out := map[string][]byte{}
	for k, v := range data {
		out[k] = v
	}
	changed := false
	if !caOK {
		var err error
		caCert, caKey, out["ca.crt"], out["ca.key"], err = newCA(now)
		if err != nil {
			return nil, false, err
		}
		changed = true
	}
	if _, _, ok := parsePair(out["tls.crt"], out["tls.key"], now); !ok || changed || !signedBy(out["tls.crt"], caCert) {
		crt, key, err := newServingCert(caCert, caKey, m.DNSNames, now)
		if err != nil {
			return nil, false, err
		}
		out["tls.crt"], out["tls.key"] = crt, key
		changed = true
	}
	return out, changed, nil
}

func (m *CertManager) writeFiles(data map[string][]byte) error {
	if err := os.MkdirAll(m.Dir, 0o700); err != nil {
		return err
	}
	for _, name := range []string{"tls.crt", "tls.key"} {
		p := filepath.Join(m.Dir, name)
		if old, err := os.ReadFile(p); err == nil && bytes.Equal(old, data[name]) {
			continue
		}
		tmp := p + ".tmp"
		if err := os.WriteFile(tmp, data[name], 0o600); err != nil {
			return err
		}
		if err := os.Rename(tmp, p); err != nil {
			return err
		}
	}
	return nil
}

// patchCABundle puts the CA into every webhook of the configuration.
func (m *CertManager) patchCABundle(ctx context.Context, ca []byte) error {
	var cfg admissionregistrationv1.ValidatingWebhookConfiguration
	if err := m.Client.Get(ctx, client.ObjectKey{Name: m.WebhookConfiguration}, &cfg); err != nil {
		if apierrors.IsNotFound(err) {
			return nil // not installed (yet): the next Ensure patches it
		}
		return fmt.Errorf("read webhook configuration %s: %w", m.WebhookConfiguration, err)
	}
	patch := client.MergeFrom(cfg.DeepCopy())
	changed := false
	for i := range cfg.Webhooks {
		if !bytes.Equal(cfg.Webhooks[i].ClientConfig.CABundle, ca) {
			cfg.Webhooks[i].ClientConfig.CABundle = ca
			changed = true
		}
	}
	if !changed {
		return nil
	}
	if err := m.Client.Patch(ctx, &cfg, patch); err != nil {
		return fmt.Errorf("patch the CA bundle of %s: %w", m.WebhookConfiguration, err)
	}
	return nil
}

// parsePair parses a PEM certificate and key, and reports whether the
// certificate is valid for at least renewBefore after now.
func parsePair(certPEM, keyPEM []byte, now time.Time) (*x509.Certificate, *ecdsa.PrivateKey, bool) {
	cb, _ := pem.Decode(certPEM)
	kb, _ := pem.Decode(keyPEM)
	if cb == nil || kb == nil {
		return nil, nil, false
	}
	cert, err := x509.ParseCertificate(cb.Bytes)
	if err != nil {
		return nil, nil, false
	}
	key, err := x509.ParseECPrivateKey(kb.Bytes)
	if err != nil {
		return nil, nil, false
	}
	return cert, key, now.Add(renewBefore).Before(cert.NotAfter) && !now.Before(cert.NotBefore)
}

func signedBy(certPEM []byte, ca *x509.Certificate) bool {
	cb, _ := pem.Decode(certPEM)
	if cb == nil {
		return false
	}
	cert, err := x509.ParseCertificate(cb.Bytes)
	return err == nil && cert.CheckSignatureFrom(ca) == nil
}

func newCA(now time.Time) (*x509.Certificate, *ecdsa.PrivateKey, []byte, []byte, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial(),
		Subject:               pkix.Name{CommonName: "tabby webhook CA"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(caValidity),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	keyPEM, err := encodeKey(key)
	return cert, key, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), keyPEM, err
}

func newServingCert(ca *x509.Certificate, caKey *ecdsa.PrivateKey, dnsNames []string, now time.Time) ([]byte, []byte, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial(),
		Subject:      pkix.Name{CommonName: firstOr(dnsNames, "tabby-webhook")},
		DNSNames:     dnsNames,
		IPAddresses:  ipAddresses(dnsNames),
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(certValidity),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		return nil, nil, err
	}
	keyPEM, err := encodeKey(key)
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), keyPEM, err
}

func encodeKey(key *ecdsa.PrivateKey) ([]byte, error) {
	der, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der}), nil
}

func serial() *big.Int {
	n, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 126))
	return n
}

// ipAddresses returns the names that are IP addresses, for the
// certificate's IP SANs (a webhook reached by URL at an IP).
func ipAddresses(names []string) []net.IP {
	var out []net.IP
	for _, n := range names {
		if ip := net.ParseIP(n); ip != nil {
			out = append(out, ip)
		}
	}
	return out
}

func firstOr(s []string, def string) string {
	if len(s) > 0 {
		return s[0]
	}
	return def
}
