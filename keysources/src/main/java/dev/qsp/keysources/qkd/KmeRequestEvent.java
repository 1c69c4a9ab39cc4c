package dev.qsp.keysources.qkd;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * JFR event {@code dev.qsp.KmeRequest}: one HTTPS request of a {@link QkdClient} to its KME (SPEC.md §5.2, §6.6),
 * timed from sending to the answer (or the failure). Never carries key material: the operation, the KME's
 * address, the HTTP status and the exception type when there was no answer.
 */
@Name("dev.qsp.KmeRequest")
@Label("QSP KME Request")
@Category({"QSP"})
@Description("An ETSI GS QKD 014 request to a KME")
@StackTrace(false)
final class KmeRequestEvent extends jdk.jfr.Event {
    @Label("Operation")
    @Description("status, enc_keys or dec_keys")
    String operation;

    @Label("KME")
    String kme;

    @Label("HTTP Status")
    @Description("0 when no answer arrived")
    int httpStatus;

    @Label("Error")
    @Description("The exception type when no answer arrived, else empty")
    String error;
}
