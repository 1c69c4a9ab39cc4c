/**
 * Observation of QSP connections (SPEC.md §6.6): the JMX interface of a context's counters. Debug logging
 * ({@code -Ddev.qsp.debug}), JFR events ({@code dev.qsp.Handshake}, {@code dev.qsp.Rekey}, {@code dev.qsp.Failure},
 * {@code dev.qsp.KmeRequest}) and the key log ({@code -Ddev.qsp.keyLogFile}) need no API.
 */
package dev.qsp.sockets.observe;
