/** Ingest: yearly registers and response files into raw and canonical Delta tables. */
package kz.stat.ictstat.ingest;
