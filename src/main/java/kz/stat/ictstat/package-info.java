/** ictstat: the annual cycle of the survey "Use of ICT in enterprises" (form 3-inform) on Spark. */
package kz.stat.ictstat;
