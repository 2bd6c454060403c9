package syncer

import (
	"context"
	"errors"
	"fmt"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/fhir"
)

// Pull brings back, for every order on the server, its status (server state wins, but drafts and
// orders being fixed are never touched), appointments, messages and results.
func (w *Worker) Pull(ctx context.Context) (Summary, error) {
	var sum Summary
	if err := w.demoGuard(ctx); err != nil {
		return sum, err
	}
	orders, err := w.Store.SentOrders(ctx)
	if err != nil {
		return sum, err
	}
	var errs []error
	for _, o := range orders {
		if o.ServiceRequestID == "" {
			continue
		}
		if err := w.pullOrder(ctx, o, &sum); err != nil {
			if errors.Is(err, fhir.ErrUnauthorized) {
				w.report(func(s *Status) { s.AuthNeeded = true })
				return sum, ErrAuth
			}
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		w.report(func(s *Status) { s.Online = false })
		return sum, fmt.Errorf("%w (%d order(s) not updated)", ErrOffline, len(errs))
	}
	w.report(func(s *Status) { s.Online = true })
	return sum, nil
}

func (w *Worker) pullOrder(ctx context.Context, o app.SentOrder, sum *Summary) error {
	if err := w.linkImages(ctx, o); err != nil {
		return err
	}
	t := w.Transport
	apptBundle, err := t.Search(ctx, "Appointment", fhir.AppointmentQuery(o.ServiceRequestID))
	if err != nil {
		return err
	}
	appts, err := fhir.Appointments(apptBundle)
	if err != nil {
		return err
	}
	booked := false
	for _, a := range appts {
		booked = booked || a.Booked()
		if err := w.Store.UpsertAppointment(ctx, app.Appointment{
			OrderID: o.ID, ServerID: "Appointment/" + a.ID, Status: a.Status, Start: a.Start, End: a.End,
			Location: a.Location, Description: a.Description,
		}); err != nil {
			return err
		}
		sum.Appointments++
	}
	taskBundle, err := t.Search(ctx, "Task", fhir.TaskQuery(o.UUID))
	if err != nil {
		return err
	}
	if tasks := fhir.Tasks(taskBundle); len(tasks) > 0 {
		if st, reason, ok := fhir.OrderStatus(tasks[0], booked); ok {
			changed, err := w.Store.ApplyServerStatus(ctx, o.ID, st, reason)
			if err != nil {
				return err
			}
			if changed {
				sum.StatusChanges++
			}
		}
	}
	msgBundle, err := t.Search(ctx, "Communication", fhir.CommunicationQuery(o.ServiceRequestID))
	if err != nil {
		return err
	}
	msgs, err := fhir.Messages(msgBundle)
	if err != nil {
		return err
	}
	for _, m := range msgs {
		if err := w.Store.UpsertMessage(ctx, app.Message{OrderID: o.ID, ServerID: "Communication/" + m.ID, Sent: m.Sent, Sender: m.Sender, Body: m.Text}); err != nil {
			return err
		}
		sum.Messages++
	}
	reports, err := t.Search(ctx, "DiagnosticReport", fhir.DiagnosticReportQuery(o.ServiceRequestID))
	if err != nil {
		return err
	}
	docs, err := t.Search(ctx, "DocumentReference", fhir.DocumentReferenceQuery(o.ServiceRequestID))
	if err != nil {
		return err
	}
	results, err := fhir.Results(reports, docs)
	if err != nil {
		return err
	}
	for _, r := range results {
		res := app.Result{OrderID: o.ID, ServerID: r.Source + "/" + r.ID, Kind: r.Kind, Title: r.Title, Issued: r.Date}
		if len(r.Files) > 0 {
			f := r.Files[0]
			res.ContentType, res.URL, res.Data = f.ContentType, f.URL, f.Data
		} else if r.Conclusion != "" {
			res.ContentType, res.Data = "text/plain", []byte(r.Conclusion)
		}
		if err := w.Store.UpsertResult(ctx, res); err != nil {
			return err
		}
		sum.Results++
	}
	return nil
}

// Sync pushes then pulls. Push errors do not stop the pull unless the credentials were refused.
func (w *Worker) Sync(ctx context.Context) (Summary, error) {
	sum, pushErr := w.Push(ctx)
	if errors.Is(pushErr, ErrAuth) || errors.Is(pushErr, ErrDemoData) || ctx.Err() != nil {
		return sum, pushErr
	}
	p, pullErr := w.Pull(ctx)
	sum.StatusChanges, sum.Appointments, sum.Messages, sum.Results = p.StatusChanges, p.Appointments, p.Messages, p.Results
	return sum, errors.Join(pushErr, pullErr)
}

// ImageLinks is what linking sent studies to their order needs (the local store implements it).
type ImageLinks interface {
	// SentStudies lists the Study Instance UIDs whose every selected image is stored on the server.
	SentStudies(ctx context.Context, orderID int64) ([]string, error)
}

// linkImages records each fully uploaded study of the order as an ImagingStudy based on its
// ServiceRequest, once (conditional on the Study Instance UID; the step is recorded).
func (w *Worker) linkImages(ctx context.Context, o app.SentOrder) error {
	links, ok := w.Store.(ImageLinks)
	if !ok {
		return nil
	}
	studies, err := links.SentStudies(ctx, o.ID)
	if err != nil {
		return err
	}
	steps, err := w.Store.Steps(ctx, o.ID)
	if err != nil {
		return err
	}
	patient := steps["bundle:Patient"]
	for _, uid := range studies {
		step := "imaging:" + uid
		if _, done := steps[step]; done {
			continue
		}
		ref := "Patient/" + patient
		if patient == "" {
			ord, err := w.Store.Order(ctx, o.ID)
			if err != nil {
				return err
			}
			p, err := w.Store.Patient(ctx, ord.PatientID)
			if err != nil || p.ServerID == "" {
				continue // the patient's server id is not known yet: link on a later round
			}
			ref = "Patient/" + p.ServerID
		}
		is := fhir.NewImagingStudy(uid, ref, o.ServiceRequestID, "", 0)
		id, _, err := w.Transport.CreateIfNoneExist(ctx, is, fhir.IfNoneExist(is.Identifier[0]))
		if err != nil {
			return err
		}
		if err := w.Store.RecordStep(ctx, o.ID, step, id); err != nil {
			return err
		}
	}
	return nil
}
