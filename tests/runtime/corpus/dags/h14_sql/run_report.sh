#!/bin/bash
echo "report for {{ params.region }} limit {{ params.limit * 2 }}"
