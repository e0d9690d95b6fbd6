/**
 * The event bus as the node's internal network.
 *
 * <p>Services are reached through addresses that carry the volume's fsid
 * ({@link org.scoutfs.node.bus.Addresses}); messages are immutable records with a codec that passes
 * them by reference within a process and encodes them for the wire between processes
 * ({@link org.scoutfs.node.bus.RecordCodec}). Failures cross the bus as explicit codes and are
 * turned back into the exception the service threw, in one table ({@link org.scoutfs.node.bus.Failures}),
 * so callers such as {@link org.scoutfs.node.bus.EventBusServerApi} never see the bus.
 */
package org.scoutfs.node.bus;
