/**
 * Thin verticles: each wires event-bus addresses to a plain component that holds the logic and is
 * tested without Vert.x. Blocking work runs on virtual threads, never on an event loop.
 */
package org.scoutfs.node.verticle;
