## R surveillance::farringtonFlexible output for the Python port's golden tests
## (tests/risk/test_risk_farrington_r.py).  Not run by the tests; rerun by hand:
##
##   apt-get install r-base-core r-cran-surveillance     # Debian 12: R 4.2.2, surveillance 1.20.3
##   Rscript tests/risk/data/r_farrington/make_reference.R /work/shared/reference
##
## Writes, beside this script:
##   series.csv   series_id, period, count, population   held-out series from the package's data
##                                                        (the Salmonella series is read by the
##                                                        tests from the shared reference folder)
##   cases.csv    one row per call: the series, epochAsDate and the control list used
##   output.csv   case_id, series_id, period, expected, upperbound, alarm for every monitored period
suppressMessages(library(surveillance))
args <- commandArgs(trailingOnly = TRUE)
ref <- if (length(args)) args[1] else "/work/shared/reference"
here <- dirname(normalizePath(sub("--file=", "", grep("--file=", commandArgs(), value = TRUE))))

as_dates <- function(x) as.Date(epoch(x), origin = "1970-01-01")
series <- list()     # id -> list(dates, observed matrix, population matrix or NULL)
add_series <- function(id, dates, obs, pop = NULL) {
  obs <- as.matrix(obs)
  series[[id]] <<- list(dates = dates, obs = obs, pop = if (is.null(pop)) NULL else as.matrix(pop))
}

## Salmonella Newport (shared reference: epysurv train + test), as epysurv builds the sts
tr <- read.csv(file.path(ref, "salmonella_train.csv"))
te <- read.csv(file.path(ref, "salmonella_test.csv"))
salm <- rbind(tr, te)
add_series("salmonella", as.Date(salm[[1]]), salm$n_cases)

data(salmNewport); data(salmHospitalized); data(campyDE); data(rotaBB); data(ha.sts); data(momo)
add_series("salmNewport", as_dates(salmNewport), observed(salmNewport))             # 16 regions
add_series("salmNewportTotal", as_dates(salmNewport), rowSums(observed(salmNewport)))
add_series("salmHospitalized", as_dates(salmHospitalized), observed(salmHospitalized))
add_series("campyDE", campyDE$date, campyDE$case)                                     # 53-week years
add_series("haTotal", as.Date("2001-01-01") + 7 * (seq_len(nrow(ha.sts)) - 1),
           rowSums(observed(ha.sts)))                                                 # epochAsDate FALSE
add_series("rotaBBTotal", as_dates(rotaBB), rowSums(observed(rotaBB)))                # monthly
add_series("momo", as_dates(momo), observed(momo), population(momo))                  # 8 age groups

## the issue's parameters; every case below changes only what it names
base <- list(b = 3, w = 3, alpha = 0.01, weightsThreshold = 2.58, pastWeeksNotIncluded = 26,
             reweight = TRUE, trend = TRUE, limit54 = c(5, 4), powertrans = "2/3",
             noPeriods = 1, thresholdMethod = "delta", populationOffset = FALSE)
cases <- list(
  list(id = "salmonella_date", series = "salmonella", epochAsDate = TRUE, range = 366:470),
  list(id = "salmonella_index", series = "salmonella", epochAsDate = FALSE, range = 366:470),
  list(id = "salmNewport_regions", series = "salmNewport", epochAsDate = TRUE),
  list(id = "salmNewport_total_index", series = "salmNewportTotal", epochAsDate = FALSE),
  list(id = "salmHospitalized", series = "salmHospitalized", epochAsDate = TRUE),
  list(id = "campyDE", series = "campyDE", epochAsDate = TRUE),
  list(id = "haTotal", series = "haTotal", epochAsDate = FALSE),
  list(id = "rotaBB_monthly", series = "rotaBBTotal", epochAsDate = TRUE,
       ctl = list(pastWeeksNotIncluded = 3)),
  list(id = "salmNewport_noPeriods10", series = "salmNewportTotal", epochAsDate = TRUE,
       ctl = list(noPeriods = 10)),
  list(id = "salmNewport_nbPlugin", series = "salmNewportTotal", epochAsDate = TRUE,
       ctl = list(thresholdMethod = "nbPlugin")),
  list(id = "salmNewport_muan", series = "salmNewportTotal", epochAsDate = TRUE,
       ctl = list(thresholdMethod = "muan")),
  list(id = "salmNewport_plain", series = "salmNewportTotal", epochAsDate = TRUE,
       ctl = list(reweight = FALSE, powertrans = "none", b = 5, weightsThreshold = 1,
                  pastWeeksNotIncluded = 3)),
  list(id = "momo_population", series = "momo", epochAsDate = TRUE,
       ctl = list(populationOffset = TRUE))
)

make_sts <- function(s, epochAsDate, freq) {
  if (epochAsDate) {
    sts(observed = s$obs, epoch = as.numeric(s$dates), epochAsDate = TRUE, freq = freq,
        population = if (is.null(s$pop)) NULL else s$pop)
  } else {
    sts(observed = s$obs, start = c(2000, 1), freq = freq,
        population = if (is.null(s$pop)) NULL else s$pop)
  }
}

case_rows <- list(); out_rows <- list()
for (cs in cases) {
  s <- series[[cs$series]]
  freq <- if (all(diff(s$dates) >= 28)) 12 else 52
  ctl <- modifyList(base, if (is.null(cs$ctl)) list() else cs$ctl)
  if (!is.null(cs$range)) ctl$range <- cs$range
  res <- farringtonFlexible(make_sts(s, cs$epochAsDate, freq), control = ctl)
  rng <- if (is.null(cs$range)) (freq * ctl$b + ctl$w + 1):nrow(s$obs) else cs$range
  for (j in seq_len(ncol(s$obs))) {
    out_rows[[length(out_rows) + 1]] <- data.frame(
      case_id = cs$id, series_id = sprintf("%s/%d", cs$series, j), period = format(s$dates[rng]),
      expected = res@control$expected[, j], upperbound = upperbound(res)[, j],
      alarm = as.integer(alarms(res)[, j]))
  }
  case_rows[[length(case_rows) + 1]] <- data.frame(
    case_id = cs$id, series = cs$series, epochAsDate = cs$epochAsDate,
    range = sprintf("%d:%d", min(rng), max(rng)), b = ctl$b, w = ctl$w, alpha = ctl$alpha,
    weightsThreshold = ctl$weightsThreshold, pastWeeksNotIncluded = ctl$pastWeeksNotIncluded,
    reweight = ctl$reweight, trend = ctl$trend, powertrans = ctl$powertrans,
    noPeriods = ctl$noPeriods, thresholdMethod = ctl$thresholdMethod,
    populationOffset = ctl$populationOffset)
}

long <- do.call(rbind, lapply(setdiff(names(series), "salmonella"), function(id) {
  s <- series[[id]]
  do.call(rbind, lapply(seq_len(ncol(s$obs)), function(j) data.frame(
    series_id = sprintf("%s/%d", id, j), period = format(s$dates), count = s$obs[, j],
    population = if (is.null(s$pop)) NA else s$pop[, j])))
}))
write.csv(long, file.path(here, "series.csv"), row.names = FALSE)
write.csv(do.call(rbind, case_rows), file.path(here, "cases.csv"), row.names = FALSE)
write.csv(do.call(rbind, out_rows), file.path(here, "output.csv"), row.names = FALSE)
cat(sprintf("surveillance %s, %s\n", packageVersion("surveillance"), R.version.string))
