/** De-identified microdata for researchers and analysts: the {@code research.*} tables. */
package kz.stat.ictstat.research;
