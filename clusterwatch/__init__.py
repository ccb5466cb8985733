"""clusterwatch: a monitoring platform for industrial-cluster programmes."""

__version__ = "0.1.0"
