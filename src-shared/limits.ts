/** Limits the contract checks, the core enforces and the screens' inputs show: each number lives here once. */

/** A bill (dispatch note) holds 1 to this many parent bags. */
export const MAX_BILL_CAPACITY = 500;

/** Why a supervisor moved or removed a child: required, kept in the audit trail, at most this long. */
export const MAX_REASON_LENGTH = 200;
