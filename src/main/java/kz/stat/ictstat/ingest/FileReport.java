package kz.stat.ictstat.ingest;

/**
 * The reconciliation of one ingested file: {@code rowsRead = accepted + quarantined}, where rows
 * read are the lines after the header.
 *
 * @param decimal the decimal separator seen in amounts: dot, comma, mixed or none
 * @param layout the form version of the year, or {@code register}
 */
public record FileReport(
    int year,
    String file,
    String kind,
    String sha256,
    long bytes,
    String encoding,
    String delimiter,
    String decimal,
    String layout,
    long rowsRead,
    long accepted,
    long quarantined) {}
