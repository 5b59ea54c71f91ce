package io.siamesestreams.events;


/** What a match event answers. */
public enum Mode {
  /** 1:1 — is the subject the identity it claims? */
  VERIFY,
  /** 1:N — which enrolled identity is the subject, if any? */
  IDENTIFY
}
