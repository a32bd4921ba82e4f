package notifications

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/url"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
	"gorm.io/gorm"

	"github.com/samverkan/samverkan/pkg/platform/database"
)

// Mailer sends one e-mail.
type Mailer interface {
	Send(ctx context.Context, to, subject, body string) error
}

// SMTP sends through an SMTP server named by a URL:
// smtp://user:password@host:587 (STARTTLS, required), smtps://…:465 (TLS
// from the start), or smtp://relay:25?tls=none for a relay without TLS (a
// password is then refused unless the relay is on this machine). ?from=
// sets the sender.
type SMTP struct {
	addr, host string
	implicit   bool
	plain      bool // no TLS at all
	user, pass string
	from       *mail.Address
	timeout    time.Duration
}

// NewSMTP reads an SMTP URL.
func NewSMTP(raw string) (*SMTP, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Hostname() == "" {
		return nil, errors.New("SAMVERKAN_SMTP_URL: give smtp://[user:password@]host[:port] or smtps://…")
	}
	s := &SMTP{host: u.Hostname(), implicit: u.Scheme == "smtps", timeout: 30 * time.Second}
	switch u.Query().Get("tls") {
	case "", "starttls":
	case "none":
		s.plain = !s.implicit
	default:
		return nil, errors.New("SAMVERKAN_SMTP_URL: tls= is starttls (the default) or none")
	}
	port := u.Port()
	if port == "" {
		port = map[bool]string{true: "465", false: "587"}[s.implicit]
	}
	s.addr = net.JoinHostPort(s.host, port)
	if u.User != nil {
		s.user = u.User.Username()
		s.pass, _ = u.User.Password()
	}
	if s.plain && s.user != "" && !loopback(s.host) {
		return nil, errors.New("SAMVERKAN_SMTP_URL: a password is not sent without TLS; drop tls=none or the password")
	}
	from := u.Query().Get("from")
	if from == "" {
		from = "Samverkan <noreply@" + s.host + ">"
	}
	if s.from, err = mail.ParseAddress(from); err != nil {
		return nil, fmt.Errorf("SAMVERKAN_SMTP_URL: from=%q is not an address", from)
	}
	return s, nil
}

// Send delivers one plain-text message in UTF-8.
func (s *SMTP) Send(ctx context.Context, to, subject, body string) error {
	d := net.Dialer{Timeout: s.timeout}
	ctx, cancel := context.WithTimeout(ctx, 2*s.timeout)
	defer cancel()
	var conn net.Conn
	var err error
	if s.implicit {
		conn, err = (&tls.Dialer{NetDialer: &d, Config: &tls.Config{ServerName: s.host}}).DialContext(ctx, "tcp", s.addr)
	} else {
		conn, err = d.DialContext(ctx, "tcp", s.addr)
	}
	if err != nil {
		return err
	}
	if deadline, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(deadline)
	}
	var c *smtp.Client
	if s.implicit || s.plain {
		c = smtp.NewClient(conn)
	} else if c, err = smtp.NewClientStartTLS(conn, &tls.Config{ServerName: s.host}); err != nil {
		conn.Close()
		return err
	}
	defer c.Close()
	if s.user != "" {
		if s.plain && !loopback(s.host) {
			return errors.New("smtp: the server offers no TLS; not sending the password in clear")
		}
		if err := c.Auth(sasl.NewPlainClient("", s.user, s.pass)); err != nil {
			return err
		}
	}
	if err := c.SendMail(s.from.Address, []string{to}, bytes.NewReader(message(s.from.String(), to, subject, body))); err != nil {
		return err
	}
	return c.Quit()
}

func loopback(host string) bool {
	ip := net.ParseIP(host)
	return host == "localhost" || ip != nil && ip.IsLoopback()
}

// message is an RFC 5322 message: encoded subject, quoted-printable body.
func message(from, to, subject, body string) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "From: %s\r\nTo: %s\r\nSubject: %s\r\nDate: %s\r\nMIME-Version: 1.0\r\n", from, to,
		mime.QEncoding.Encode("utf-8", subject), time.Now().Format(time.RFC1123Z))
	b.WriteString("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n")
	w := quotedprintable.NewWriter(&b)
	_, _ = w.Write([]byte(body))
	_ = w.Close()
	b.WriteString("\r\n")
	return b.Bytes()
}

// Deliver sends the e-mails that are due, each in its own transaction that
// holds the row (SKIP LOCKED lets replicas share the outbox): a sent
// notification is marked so before the row is let go, and is not picked
// again. A failure waits RetryBase, doubled each time, up to MaxAttempts.
// Without a mailer the e-mail is logged instead.
func (s *Service) Deliver(ctx context.Context) (int, error) {
	sent := 0
	err := database.Within(ctx, s.db, database.PlatformScope, func(ctx context.Context) error {
		var err error
		sent, err = s.deliver(ctx)
		return err
	})
	return sent, err
}

func (s *Service) deliver(ctx context.Context) (int, error) {
	sent := 0
	for range 100 {
		var done bool
		err := database.InTx(ctx, s.db, func(tx *gorm.DB) error {
			var n struct {
				ID, Subject, Body, Link, Email string
				Attempts                       int
			}
			err := tx.Raw(`SELECT n.id, n.subject, n.body, n.link, n.attempts, u.email FROM notifications n JOIN users u ON u.id = n.user_id
				WHERE n.email_status = 'pending' AND n.next_attempt_at <= now()
				ORDER BY n.next_attempt_at LIMIT 1 FOR UPDATE OF n SKIP LOCKED`).Scan(&n).Error
			if err != nil || n.ID == "" {
				done = true
				return err
			}
			body := n.Body
			if n.Link != "" {
				body += "\n\n" + s.opt.PublicBaseURL + n.Link
			}
			body += "\n\nDu får det här för att du följer upp samverkan i Samverkan. Vilka påminnelser du får väljer du under Inställningar."
			if s.mailer == nil {
				s.log.Info("e-mail (SAMVERKAN_SMTP_URL not set; logged only)", "to", n.Email, "subject", n.Subject)
				return tx.Exec("UPDATE notifications SET email_status = 'logged', attempts = attempts + 1, sent_at = now() WHERE id = ?", n.ID).Error
			}
			if err := s.mailer.Send(ctx, n.Email, n.Subject, body); err != nil {
				attempts, status := n.Attempts+1, "pending"
				if attempts >= s.opt.MaxAttempts {
					status = "failed"
				}
				s.log.Warn("e-mail not sent", "to", n.Email, "attempt", attempts, "err", err)
				return tx.Exec(`UPDATE notifications SET email_status = ?, attempts = ?, last_error = ?, next_attempt_at = now() + ?::interval WHERE id = ?`,
					status, attempts, err.Error(), (s.opt.RetryBase << (attempts - 1)).String(), n.ID).Error
			}
			sent++
			return tx.Exec("UPDATE notifications SET email_status = 'sent', attempts = attempts + 1, last_error = '', sent_at = now() WHERE id = ?", n.ID).Error
		})
		if err != nil || done {
			return sent, err
		}
	}
	return sent, nil
}
