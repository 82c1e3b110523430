// tb_accelerator: a plain Verilog-2005 test top for the generated escgen_accelerator, for any
// simulator (Icarus Verilog in the `system` tests). It reads the stimulus directory written by
// `escgen stimulus write` (docs/interface.md) with $readmemh, performs the register writes over
// AXI4-Lite (the last one CTRL.start), feeds the weight and input streams and takes the output
// stream with a deterministic pseudo-random stall pattern (an LFSR per stream), polls STATUS until
// done, writes STIM/out.hex and prints "tb_accelerator: done ..." or "tb_accelerator: FAIL ...".
// Widths and counts come from meta.txt as parameters (iverilog -P, see run_icarus.sh).
`timescale 1ns / 1ps
module tb_accelerator;
  parameter WGT_BITS = 32;
  parameter ACT_BITS = 36;
  parameter OUT_BITS = 66;
  parameter N_REGS = 10;
  parameter N_WGT = 1;
  parameter N_ACT = 1;
  parameter N_OUT = 1;
  parameter STIM = ".";        // stimulus directory
  parameter TIMEOUT = 1000000; // cycles
  parameter SEED = 1;          // stall pattern (non-zero)

  reg clk = 1'b0;
  reg rst_n = 1'b0;
  always #5 clk = ~clk;

  reg [63:0] regs_mem [0:N_REGS-1];
  reg [WGT_BITS-1:0] wgt_mem [0:N_WGT-1];
  reg [ACT_BITS-1:0] act_mem [0:N_ACT-1];

  // AXI4-Lite master signals.
  reg awvalid = 1'b0, wvalid = 1'b0, arvalid = 1'b0;
  reg [7:0] awaddr = 8'd0, araddr = 8'd0;
  reg [31:0] wdata = 32'd0;
  wire awready, wready, bvalid, arready, rvalid;
  wire [1:0] bresp, rresp;
  wire [31:0] rdata;
  // Streams.
  reg wgt_valid = 1'b0, act_valid = 1'b0, out_ready = 1'b0;
  reg [WGT_BITS-1:0] wgt_data = {WGT_BITS{1'b0}};
  reg [ACT_BITS-1:0] act_data = {ACT_BITS{1'b0}};
  wire wgt_ready, act_ready, out_valid;
  wire [OUT_BITS-1:0] out_data;

  escgen_accelerator dut (
    .clk(clk), .rst_n(rst_n),
    .s_axil_awvalid(awvalid), .s_axil_awready(awready), .s_axil_awaddr(awaddr),
    .s_axil_wvalid(wvalid), .s_axil_wready(wready), .s_axil_wdata(wdata), .s_axil_wstrb(4'hf),
    .s_axil_bvalid(bvalid), .s_axil_bready(1'b1), .s_axil_bresp(bresp),
    .s_axil_arvalid(arvalid), .s_axil_arready(arready), .s_axil_araddr(araddr),
    .s_axil_rvalid(rvalid), .s_axil_rready(1'b1), .s_axil_rdata(rdata), .s_axil_rresp(rresp),
    .s_wgt_tvalid(wgt_valid), .s_wgt_tready(wgt_ready), .s_wgt_tdata(wgt_data),
    .s_act_tvalid(act_valid), .s_act_tready(act_ready), .s_act_tdata(act_data),
    .m_out_tvalid(out_valid), .m_out_tready(out_ready), .m_out_tdata(out_data));

  // 32-bit Galois LFSR step; a stream stalls in a cycle when the low two bits are 0 (25%).
  function [31:0] lfsr;
    input [31:0] s;
    lfsr = s[0] ? (s >> 1) ^ 32'hA3000000 : s >> 1;
  endfunction

  integer cycle = 0;
  integer wi = 0, ai = 0, oc = 0;  // beats transferred
  integer out_fd;
  reg [31:0] wl, al, ol;
  integer wn, an;
  reg wv, av;

  // Sources: a transfer happens on an edge where valid and ready were both high before it; a
  // valid beat is never withdrawn.
  always @(posedge clk) begin
    if (!rst_n) begin
      wl = SEED * 3 + 1; al = SEED * 5 + 7; ol = SEED * 11 + 13;
      wgt_valid <= 1'b0; act_valid <= 1'b0; out_ready <= 1'b0;
    end else begin
      wl = lfsr(wl); al = lfsr(al); ol = lfsr(ol);
      wn = wi; wv = wgt_valid;
      if (wgt_valid && wgt_ready) begin wn = wi + 1; wv = 1'b0; end
      if (!wv && wn < N_WGT && wl[1:0] != 2'b00) wv = 1'b1;
      wi = wn;
      wgt_valid <= wv;
      wgt_data <= wn < N_WGT ? wgt_mem[wn] : {WGT_BITS{1'b0}};
      an = ai; av = act_valid;
      if (act_valid && act_ready) begin an = ai + 1; av = 1'b0; end
      if (!av && an < N_ACT && al[1:0] != 2'b00) av = 1'b1;
      ai = an;
      act_valid <= av;
      act_data <= an < N_ACT ? act_mem[an] : {ACT_BITS{1'b0}};
      if (out_valid && out_ready) begin
        if (oc >= N_OUT) begin
          $display("tb_accelerator: FAIL: output stream: more than %0d beats", N_OUT);
          $finish;
        end
        $fwrite(out_fd, "%h\n", out_data);
        oc = oc + 1;
      end
      out_ready <= ol[1:0] != 2'b00;
    end
  end

  always @(posedge clk) begin
    cycle = cycle + 1;
    if (cycle >= TIMEOUT) begin
      $display("tb_accelerator: FAIL: timeout after %0d cycles: weight stream %0d of %0d beats, input stream %0d of %0d, output stream %0d of %0d",
               cycle, wi, N_WGT, ai, N_ACT, oc, N_OUT);
      $finish;
    end
  end

  // AXI4-Lite transactions (sampling on the edge, driving with non-blocking assignments).
  reg aw_done, w_done, got;
  reg [31:0] rd;
  task axi_write;
    input [7:0] a;
    input [31:0] d;
    begin
      awvalid <= 1'b1; awaddr <= a; wvalid <= 1'b1; wdata <= d;
      aw_done = 1'b0; w_done = 1'b0;
      while (!(aw_done && w_done)) begin
        @(posedge clk);
        if (awvalid && awready) begin aw_done = 1'b1; awvalid <= 1'b0; end
        if (wvalid && wready) begin w_done = 1'b1; wvalid <= 1'b0; end
      end
      got = 1'b0;
      while (!got) begin
        @(posedge clk);
        if (bvalid) got = 1'b1;
      end
      if (bresp != 2'b00) begin
        $display("tb_accelerator: FAIL: write of %h to %h answered bresp %0d", d, a, bresp);
        $finish;
      end
    end
  endtask

  task axi_read;
    input [7:0] a;
    begin
      arvalid <= 1'b1; araddr <= a;
      got = 1'b0;
      while (!got) begin
        @(posedge clk);
        if (arvalid && arready) begin got = 1'b1; arvalid <= 1'b0; end
      end
      got = 1'b0;
      while (!got) begin
        @(posedge clk);
        if (rvalid) begin got = 1'b1; rd = rdata; end
      end
      if (rresp != 2'b00) begin
        $display("tb_accelerator: FAIL: read of %h answered rresp %0d", a, rresp);
        $finish;
      end
    end
  endtask

  integer i, start_cycle;
  reg [31:0] status;
  initial begin
    $readmemh({STIM, "/regs.hex"}, regs_mem);
    $readmemh({STIM, "/wgt.hex"}, wgt_mem);
    $readmemh({STIM, "/act.hex"}, act_mem);
    out_fd = $fopen({STIM, "/out.hex"}, "w");
    repeat (8) @(posedge clk);
    rst_n <= 1'b1;
    repeat (2) @(posedge clk);
    axi_read(8'h7C);
    if (rd != 32'hE5CA0001) begin
      $display("tb_accelerator: FAIL: ID reads %h, expected e5ca0001", rd);
      $finish;
    end
    for (i = 0; i < N_REGS; i = i + 1) begin
      if (i == N_REGS - 1) start_cycle = cycle;
      axi_write(regs_mem[i][39:32], regs_mem[i][31:0]);
    end
    status = 32'd0;
    while (!status[1]) begin
      axi_read(8'h04);
      status = rd;
      if (status[2]) begin
        $display("tb_accelerator: FAIL: STATUS.error, code %0d", status[15:8]);
        $finish;
      end
    end
    i = cycle - start_cycle;
    repeat (16) @(posedge clk);
    if (wi != N_WGT || ai != N_ACT || oc != N_OUT) begin
      $display("tb_accelerator: FAIL: STATUS.done with weight %0d of %0d, input %0d of %0d, output %0d of %0d beats",
               wi, N_WGT, ai, N_ACT, oc, N_OUT);
      $finish;
    end
    axi_read(8'h40);
    $fclose(out_fd);
    $display("tb_accelerator: done in %0d cycles (CYCLES %0d), %0d output beats", i, rd, oc);
    $finish;
  end
endmodule
