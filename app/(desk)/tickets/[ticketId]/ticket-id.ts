/** Our ticket ids in a URL: a positive whole number, no sign, no leading zero, within a safe integer. */
export const TICKET_ID_PATTERN = /^[1-9]\d{0,14}$/;
