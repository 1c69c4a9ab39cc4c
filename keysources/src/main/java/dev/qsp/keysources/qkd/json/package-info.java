/**
 * The JSON data formats of ETSI GS QKD 014 v1.1.1, clause 6 (Status, Key request, Key container, Key IDs,
 * Error), as records read and written by Jackson. Field names are the standard's, case included. Extension
 * fields are accepted and ignored (the client never sets {@code extension_mandatory}).
 */
package dev.qsp.keysources.qkd.json;
