# Golden values for the calibration of ictstat (weighting.Calibration), computed with R `survey`
# (survey::calibrate, calfun "linear" and "raking", with and without bounds), independently of the
# Java code. The Java test kz.stat.ictstat.weighting.CalibrationGoldenTest compares its g-weights,
# calibrated totals and standard errors to these values (1e-8 relative).
#
# Input:  src/test/resources/golden/units.csv (the 32 respondents of golden.R, weights N_h / r_h;
#         x plays the frame employment of the unit).
# Frame totals (written to calibration_targets.csv, read by the Java test): margins [section] and
#         [size_class]; number of units = Σ N_h of the strata in the category (exact frame counts);
#         employment = Σ over strata of N_h/r_h Σ x · f_h, f_h a fixed factor per stratum
#         (0.96 .. 1.06), so that the margins are consistent but differ from the sample estimates.
# Output: calibration_expected.csv (case, bin, g, weight) and calibration_totals.csv (case,
#         estimate and SE of the total of y with the calibrated design; lonely stratum: certainty);
#         calibration_estimates.csv (case, indicator, domain_type, domain_code, estimate, se): the
#         indicators and domains of golden.R with the calibrated designs, estimated with svyby
#         (domain subsets of a calibrated design keep every unit, so the SEs are those of the
#         calibration residuals of the zero-extended variables), read by
#         kz.stat.ictstat.estimation.GregGoldenTest.
#
# Rerun from the repository root: Rscript src/test/r/calibration.R, then commit the four CSVs.
suppressMessages(library(survey))
options(survey.lonely.psu = "certainty")

dir <- "src/test/resources/golden"
d <- read.csv(file.path(dir, "units.csv"), colClasses = "character")
for (v in c("N", "y", "x")) d[[v]] <- as.numeric(d[[v]])
d$r <- ave(d$N, d$stratum, FUN = length)
d$w <- d$N / d$r
# the variables of golden.R's indicators and domains
d$b <- suppressWarnings(as.numeric(d$b))
d$valid <- as.numeric(!is.na(d$b))
d$b0 <- ifelse(is.na(d$b), 0, d$b)
d$pop <- as.numeric(d$section == "C")
d$bpop <- d$b0 * d$pop
d$vpop <- d$valid * d$pop
d$all <- "_T"
d$section_size <- paste(d$section, d$size_class, sep = "|")
d$region_ownership <- paste(d$region, d$ownership, sep = "|")

strata <- sort(unique(d$stratum))
factor <- setNames(0.96 + 0.1 * (seq_along(strata) - 1) / (length(strata) - 1), strata)
st <- do.call(rbind, lapply(strata, function(s) {
  u <- d[d$stratum == s, ]
  data.frame(stratum = s, section = u$section[1], size_class = u$size_class[1], N = u$N[1],
             emp = sum(u$w * u$x) * factor[[s]])
}))
targets <- rbind(
  data.frame(margin = 0, code = sort(unique(st$section)),
             count = tapply(st$N, st$section, sum)[sort(unique(st$section))],
             employment = tapply(st$emp, st$section, sum)[sort(unique(st$section))]),
  data.frame(margin = 1, code = sort(unique(st$size_class)),
             count = tapply(st$N, st$size_class, sum)[sort(unique(st$size_class))],
             employment = tapply(st$emp, st$size_class, sum)[sort(unique(st$size_class))]))

# Auxiliary columns: count and employment per category; the last size class is dropped (its
# columns are implied by the section margin, R's solve() needs a full-rank system).
cols <- c(); pop <- c()
for (i in seq_len(nrow(targets))) {
  v <- if (targets$margin[i] == 0) "section" else "size_class"
  if (v == "size_class" && targets$code[i] == tail(sort(unique(st$size_class)), 1)) next
  a <- paste0("n_", targets$code[i]); b <- paste0("e_", targets$code[i])
  d[[a]] <- as.numeric(d[[v]] == targets$code[i]); d[[b]] <- d[[a]] * d$x
  cols <- c(cols, a, b); pop <- c(pop, targets$count[i], targets$employment[i])
}
names(pop) <- cols
des <- svydesign(ids = ~1, strata = ~stratum, fpc = ~N, weights = ~w, data = d)
f <- as.formula(paste("~ 0 +", paste(cols, collapse = " + ")))

# Bounded raking: survey's built-in cal.raking tests the bounds on u = log g (u < U - 1) rather
# than on g = exp(u), so its Newton step stalls when a bound binds; the same calibration function
# with the derivative tested on g (make.calfun) converges. The solution (g = min(max(exp(x'l), L),
# U) reproducing the totals) is the same definition.
raking_b <- make.calfun(Fm1 = function(u, bounds) pmin(pmax(exp(u), bounds$lower), bounds$upper) - 1,
                        dF = function(u, bounds) ifelse(exp(u) < bounds$upper &
                                                         exp(u) > bounds$lower, exp(u), 0),
                        name = "raking, bounds on g")
cases <- list(linear = list("linear", c(-Inf, Inf)), linear_bounded = list("linear", c(0.68, 1.5)),
              raking = list("raking", c(-Inf, Inf)), raking_bounded = list(raking_b, c(0.5, 1.22)))
fmt <- function(v) { v <- as.numeric(v); ifelse(is.finite(v), sprintf("%.17g", v), "NA") }
domains <- c(total = "all", region = "region", ownership = "ownership",
             section_size = "section_size", region_ownership = "region_ownership")
w_rows <- list(); t_rows <- list(); e_rows <- list()
# One domain cell at a time: the subset of a calibrated design keeps every unit (weight 0 outside
# the cell), so the SE is that of the calibration residuals of the zero-extended variable; NA
# where the ratio is undefined in the cell (no unit of the population).
est_cells <- function(kase, cal, ind, num, den = NULL) {
  for (dt in names(domains)) {
    v <- domains[[dt]]
    for (code in sort(unique(d[[v]]))) {
      sub <- cal[d[[v]] == code, ]
      res <- if (is.null(den)) svytotal(as.formula(paste0("~", num)), sub)
             else if (sum(d[d[[v]] == code, den]) == 0) NULL
             else svyratio(as.formula(paste0("~", num)), as.formula(paste0("~", den)), sub)
      e_rows[[length(e_rows) + 1]] <<- data.frame(case = kase, indicator = ind,
        domain_type = dt, domain_code = code,
        estimate = if (is.null(res)) "NA" else fmt(as.numeric(coef(res))),
        se = if (is.null(res)) "NA" else fmt(as.numeric(SE(res))))
    }
  }
}
for (k in names(cases)) {
  cal <- calibrate(des, f, population = pop, calfun = cases[[k]][[1]], bounds = cases[[k]][[2]],
                   epsilon = 1e-13, maxit = 100)
  g <- weights(cal) / d$w
  stopifnot(max(abs(colSums(weights(cal) * d[, cols]) - pop) / pop) < 1e-10)
  w_rows[[k]] <- data.frame(case = k, bin = d$bin, g = fmt(g), weight = fmt(weights(cal)))
  ty <- svytotal(~y, cal)
  t_rows[[k]] <- data.frame(case = k, variable = "y", estimate = fmt(coef(ty)), se = fmt(SE(ty)),
                            g_min = fmt(min(g)), g_max = fmt(max(g)))
  cat(k, ": g in [", min(g), ",", max(g), "], total y", coef(ty), "se", SE(ty), "\n")
  if (k %in% c("linear", "raking_bounded")) {
    est_cells(k, cal, "count_b", "b0")
    est_cells(k, cal, "total_y", "y")
    est_cells(k, cal, "share_b", "b0", "valid")
    est_cells(k, cal, "ratio_yx", "y", "x")
    est_cells(k, cal, "share_b_c", "bpop", "vpop")
  }
}
write.csv(do.call(rbind, e_rows), file.path(dir, "calibration_estimates.csv"), row.names = FALSE,
          quote = FALSE)
write.csv(data.frame(margin = targets$margin, code = targets$code,
                     count = fmt(targets$count), employment = fmt(targets$employment)),
          file.path(dir, "calibration_targets.csv"), row.names = FALSE, quote = FALSE)
write.csv(do.call(rbind, w_rows), file.path(dir, "calibration_expected.csv"), row.names = FALSE,
          quote = FALSE)
write.csv(do.call(rbind, t_rows), file.path(dir, "calibration_totals.csv"), row.names = FALSE,
          quote = FALSE)
