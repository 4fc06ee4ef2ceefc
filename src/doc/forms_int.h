/*
 * forms_int.h - pieces shared by the form renderers (internal to
 * src/doc; defined in forms.c).
 */
#ifndef MC_DOC_FORMS_INT_H
#define MC_DOC_FORMS_INT_H

#include <stddef.h>
#include <stdint.h>

#include "doc/forms.h"
#include "doc/pdf.h"

/*
 * MC_EINVAL if arr is NULL with n > 0, MC_ETOOBIG if n > max (err names
 * field); else 0.
 */
int mc_doc_check_list(const void *arr, size_t n, size_t max,
                      const char *field, struct mc_err *err) MC_WUR;

/*
 * Start a form: mc_pdf_begin on A5 portrait (or A4 landscape when
 * a4_land), then the motto header from h (borrowed). number_label is the
 * label of h->number ("Số" when NULL). Returns an error only if the
 * document could not be started (nothing to release then); otherwise the
 * caller must finish with mc_pdf_end, which reports input errors.
 */
int mc_doc_begin(struct mc_pdf *p, struct mc_buf *out,
                 const struct mc_doc_head *h, const char *title,
                 int a4_land, const char *number_label,
                 struct mc_err *err) MC_WUR;

/* "Mã hồ sơ: <code>" (dotted blank without a code), in p's arena. */
const char *mc_doc_code_line(struct mc_pdf *p, const struct mc_doc_head *h);

/* The issuer's name as written in sentences, or dflt when missing. */
const char *mc_doc_issuer(struct mc_pdf *p, const struct mc_doc_head *h,
                          const char *dflt);

/* "Ông/Bà", "Địa chỉ" and, if with_contacts, phone and e-mail lines. */
void mc_doc_applicant(struct mc_pdf *p, const struct mc_doc_applicant *a,
                      int with_contacts);

/* "label: 09 giờ 30 phút, ngày 26/11/2026" (dotted blank when ts is 0). */
void mc_doc_hm_field(struct mc_pdf *p, const char *label, int64_t ts);

#endif
