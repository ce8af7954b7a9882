/** The sampling stage: frame classification of register units and the stratified PRN sample. */
package kz.stat.ictstat.sampling;
